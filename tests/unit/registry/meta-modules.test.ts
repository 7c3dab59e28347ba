import { describe, expect, it } from 'vitest';
import { RegistryConstraintError, type ModuleRow } from '../../../electron/main/registry';
import { at, keyStoreRow, freshRegistryPerTest } from './support';

const fresh = freshRegistryPerTest();

describe('meta repository', () => {
  it('gets, sets, overwrites, lists and deletes settings', () => {
    expect(fresh.registry.meta.get('installation.region')).toBeNull();
    fresh.registry.meta.set('installation.region', 'offline-1');
    fresh.registry.meta.set('installation.owner', '1');
    fresh.registry.meta.set('installation.owner', '2');
    expect(fresh.registry.meta.get('installation.owner')).toBe('2');
    expect(fresh.registry.meta.all()).toEqual({ 'installation.owner': '2', 'installation.region': 'offline-1' });
    expect(fresh.registry.meta.delete('installation.owner')).toBe(true);
    expect(fresh.registry.meta.delete('installation.owner')).toBe(false);
    expect(fresh.registry.meta.get('installation.owner')).toBeNull();
  });
});

describe('modules repository', () => {
  const softhsm: ModuleRow = {
    id: 'mod-softhsm2',
    name: 'SoftHSM2',
    path: '/usr/lib/softhsm/libsofthsm2.so',
    envJson: '{"SOFTHSM2_CONF":"/data/softhsm2.conf"}',
    builtin: true,
    createdAt: at(0),
  };
  const p11kit: ModuleRow = {
    id: 'mod-net-1',
    name: 'Network HSM 1',
    path: '/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so',
    envJson: '{"P11_KIT_SERVER_ADDRESS":"unix:path=/run/hsm1"}',
    builtin: false,
    createdAt: at(5),
  };

  it('inserts, reads back booleans as booleans, and lists oldest first', () => {
    fresh.registry.modules.insert(p11kit);
    fresh.registry.modules.insert(softhsm);
    expect(fresh.registry.modules.get('mod-softhsm2')).toEqual(softhsm);
    expect(fresh.registry.modules.get('nope')).toBeNull();
    expect(fresh.registry.modules.list()).toEqual([softhsm, p11kit]);
  });

  it('allows the same library path twice with different environments (two network HSMs)', () => {
    fresh.registry.modules.insert(p11kit);
    fresh.registry.modules.insert({ ...p11kit, id: 'mod-net-2', envJson: '{"P11_KIT_SERVER_ADDRESS":"unix:path=/run/hsm2"}' });
    expect(fresh.registry.modules.list()).toHaveLength(2);
  });

  it('refuses a duplicate id and an environment that is not JSON', () => {
    fresh.registry.modules.insert(softhsm);
    expect(() => fresh.registry.modules.insert(softhsm)).toThrow(expect.objectContaining({ kind: 'unique' }));
    expect(() => fresh.registry.modules.insert({ ...p11kit, envJson: '{not json' })).toThrow(expect.objectContaining({ kind: 'check' }));
  });

  it('deletes an unused module but not one a key store depends on', () => {
    fresh.registry.modules.insert(softhsm);
    fresh.registry.modules.insert(p11kit);
    fresh.registry.keyStores.insert(keyStoreRow({ moduleId: 'mod-softhsm2' }));
    expect(() => fresh.registry.modules.delete('mod-softhsm2')).toThrow(RegistryConstraintError);
    expect(fresh.registry.modules.delete('mod-net-1')).toBe(true);
    expect(fresh.registry.modules.delete('mod-net-1')).toBe(false);
    expect(fresh.registry.modules.list().map((row) => row.id)).toEqual(['mod-softhsm2']);
  });
});
