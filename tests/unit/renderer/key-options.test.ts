import { describe, expect, it } from 'vitest';
import {
  canRotate,
  intervalDays,
  keyStoreChoices,
  operationsFor,
  originsFor,
  rotationInterval,
  transitionsFrom,
  usagesFor,
} from '../../../renderer/src/lib/key-options';
import { EXTERNAL_KEY_SPECS, KEY_SPECS } from '../../../shared/contract';

describe('create-key combinations', () => {
  it('offers usages by spec, EXTERNAL for the shared list of specs and rotation for generated AES keys', () => {
    expect(usagesFor('EC_P256')).toEqual(['SIGN/VERIFY']);
    expect(usagesFor('RSA_2048')).toEqual(['ENCRYPT/DECRYPT', 'SIGN/VERIFY']);
    expect(originsFor('Aliyun_AES_128')).toEqual(['Aliyun_KMS', 'EXTERNAL']);
    expect(originsFor('HMAC_SHA256')).toEqual(['Aliyun_KMS', 'EXTERNAL']);
    expect(originsFor('EC_P256')).toEqual(['Aliyun_KMS', 'EXTERNAL']);
    expect(originsFor('RSA_4096')).toEqual(['Aliyun_KMS', 'EXTERNAL']);
    expect(originsFor('EC_ED25519')).toEqual(['Aliyun_KMS']);
    // The console offers EXTERNAL exactly where CreateKey accepts it.
    expect(KEY_SPECS.filter((spec) => originsFor(spec).includes('EXTERNAL'))).toEqual([...EXTERNAL_KEY_SPECS]);
    expect(canRotate('Aliyun_AES_256', 'Aliyun_KMS')).toBe(true);
    expect(canRotate('Aliyun_AES_256', 'EXTERNAL')).toBe(false);
    expect(canRotate('RSA_2048', 'Aliyun_KMS')).toBe(false);
  });

  it('turns days into the contract interval and back', () => {
    expect(rotationInterval(30)).toEqual({ ok: true, value: '30d' });
    expect(rotationInterval(6)).toMatchObject({ ok: false });
    expect(rotationInterval(731)).toMatchObject({ ok: false });
    expect(rotationInterval(null)).toMatchObject({ ok: false });
    expect(intervalDays('30d')).toBe(30);
    expect(intervalDays('720h')).toBe(30);
    expect(intervalDays('2592000s')).toBe(30);
    expect(intervalDays('')).toBe(0);
  });

  it('offers connected key stores and explains the others', () => {
    const base = { KeyStoreType: 'HSM_CLUSTER', ProtectionLevel: 'HSM', Initialized: true } as const;
    const choices = keyStoreChoices([
      { ...base, KeyStoreId: 'a', KeyStoreName: 'Vault', ConnectionState: 'CONNECTED' },
      { ...base, KeyStoreId: 'b', KeyStoreName: 'Spare', ConnectionState: 'DISCONNECTED' },
    ]);
    expect(choices[0]).toEqual({ label: 'Vault (HSM cluster, HSM)', value: 'a', disabled: false });
    expect(choices[1]?.disabled).toBe(true);
    expect(choices[1]?.label).toContain('connect it first');
    expect(keyStoreChoices([{ ...base, KeyStoreId: 'a', KeyStoreName: 'Lab', ConnectionState: 'CONNECTED' }], new Set(['a']))[0]?.label).toBe(
      'Lab (LAB cluster, no redundancy, HSM)',
    );
    const external = { ...base, KeyStoreType: 'EXTERNAL_KEY_STORE', KeyStoreId: 'x', KeyStoreName: 'Ext', ConnectionState: 'CONNECTED' } as const;
    expect(keyStoreChoices([external])[0]?.label).toBe('Ext (external, XKS proxy, HSM)');
  });
});

describe('key page', () => {
  it('shows one crypto panel per operation the key allows', () => {
    expect(operationsFor('Aliyun_AES_256', 'ENCRYPT/DECRYPT')).toEqual(['encrypt', 'data-key']);
    expect(operationsFor('RSA_3072', 'ENCRYPT/DECRYPT')).toEqual(['asymmetric-encrypt']);
    expect(operationsFor('RSA_3072', 'SIGN/VERIFY')).toEqual(['sign']);
    expect(operationsFor('HMAC_SHA512', 'GENERATE/VERIFY_MAC')).toEqual(['mac']);
  });

  it('offers the transitions of each key state', () => {
    const actions = (state: Parameters<typeof transitionsFrom>[0], origin: 'Aliyun_KMS' | 'EXTERNAL', material = true) =>
      transitionsFrom(state, origin, material).map((transition) => `${transition.action}>${transition.to}`);
    expect(actions('Enabled', 'Aliyun_KMS')).toEqual(['disable>Disabled', 'schedule-deletion>PendingDeletion']);
    expect(actions('Disabled', 'Aliyun_KMS')).toEqual(['enable>Enabled', 'schedule-deletion>PendingDeletion']);
    expect(actions('PendingDeletion', 'Aliyun_KMS')).toEqual(['cancel-deletion>Enabled']);
    expect(actions('PendingDeletion', 'EXTERNAL', false)).toEqual(['cancel-deletion>PendingImport']);
    expect(actions('PendingImport', 'EXTERNAL', false)).toEqual(['import-material>Enabled', 'schedule-deletion>PendingDeletion']);
    expect(actions('Enabled', 'EXTERNAL')).toContain('delete-material>PendingImport');
  });
});
