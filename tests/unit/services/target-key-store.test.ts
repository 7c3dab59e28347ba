import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../shared/contract';
import type { KeyStoreConnections } from '../../../electron/main/services/keystores/connections';
import { targetKeyStore } from '../../../electron/main/services/keys/target-key-store';
import { at, freshRegistryPerTest, keyStoreRow } from '../registry/support';

const hsmStore = (n: number) =>
  keyStoreRow({ id: `kst-hsm-${n}`, name: `Vault ${n}`, type: 'HSM_CLUSTER', protectionLevel: 'HSM', clusterId: `cls-${n}`, tokenLabel: null, createdAt: at(n), updatedAt: at(n) });

const fresh = freshRegistryPerTest((registry) => {
  registry.keyStores.insert(keyStoreRow());
  registry.keyStores.insert(hsmStore(1));
  registry.keyStores.insert(hsmStore(2));
});

/** Only the connection state matters to the choice; the registry is real SQLite. */
function connections(connected: string[]): KeyStoreConnections {
  const state = (id: string): ConnectionState => (connected.includes(id) ? 'CONNECTED' : 'DISCONNECTED');
  return { get: (id: string) => ({ state: state(id), errorCode: null }) } as unknown as KeyStoreConnections;
}

describe('the key store CreateKey targets', () => {
  it('ProtectionLevel HSM: the one connected HSM store; several or none connected name the choices', () => {
    const { registry } = fresh;
    expect(targetKeyStore(registry, connections(['kst-hsm-2']), undefined, 'HSM').id).toBe('kst-hsm-2');
    for (const connected of [['kst-hsm-1', 'kst-hsm-2'], []]) {
      let message = '';
      try {
        targetKeyStore(registry, connections(connected), undefined, 'HSM');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, connected.join()).toMatch(/kst-hsm-1 \(Vault 1\), kst-hsm-2 \(Vault 2\)/);
    }
  });

  it('the store marked as the default for HSM keys wins, whatever is connected; one mark at most', () => {
    const { registry } = fresh;
    registry.keyStores.setDefaultForHsmKeys('kst-hsm-1', true, at(20));
    expect(targetKeyStore(registry, connections(['kst-hsm-2']), undefined, 'HSM').id).toBe('kst-hsm-1');
    registry.keyStores.setDefaultForHsmKeys('kst-hsm-2', true, at(21));
    expect(registry.keyStores.getDefaultForHsmKeys()?.id).toBe('kst-hsm-2');
    expect(targetKeyStore(registry, connections(['kst-hsm-1', 'kst-hsm-2']), undefined, 'HSM').id).toBe('kst-hsm-2');
    registry.keyStores.setDefaultForHsmKeys('kst-hsm-2', false, at(22));
    expect(registry.keyStores.getDefaultForHsmKeys()).toBeNull();
  });

  it('without ProtectionLevel HSM: the default store; an explicit KeyStoreId must give the level asked for', () => {
    const { registry } = fresh;
    expect(targetKeyStore(registry, connections([]), undefined, undefined).id).toBe('kst-default');
    expect(targetKeyStore(registry, connections([]), undefined, 'SOFTWARE').id).toBe('kst-default');
    expect(targetKeyStore(registry, connections([]), 'kst-hsm-1', 'HSM').id).toBe('kst-hsm-1');
    expect(() => targetKeyStore(registry, connections([]), 'kst-hsm-1', 'SOFTWARE')).toThrow(/provides HSM protection, not SOFTWARE/);
    expect(() => targetKeyStore(registry, connections([]), 'kst-none', undefined)).toThrow(/does not exist/);
  });
});
