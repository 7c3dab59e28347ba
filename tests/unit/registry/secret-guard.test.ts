import { describe, expect, it } from 'vitest';
import { AuditSecretError } from '../../../electron/main/registry';
import { assertNoSecrets } from '../../../electron/main/registry/audit/secret-guard';

describe('audit secret guard', () => {
  it.each(['Pin', 'SoPin', 'userPIN', 'userpin', 'PINs', 'PinGenerated', 'Password', 'KeyStorePassword', 'secret', 'SecretData', 'Plaintext', 'PrivateKeyData'])(
    'refuses the key %s',
    (key) => {
      expect(() => assertNoSecrets({ [key]: 'x' })).toThrow(AuditSecretError);
    },
  );

  it('names the offending key, including its path in nested values', () => {
    expect(() => assertNoSecrets({ outer: { list: [{ ok: 1 }, { NewPassword: 'x' }] } })).toThrow(/outer\.list\[1\]\.NewPassword/);
  });

  it('accepts ordinary details', () => {
    expect(() => assertNoSecrets({ KeySpec: 'RSA_2048', KeyStoreId: 'kst-1', Bytes: 32, Rotated: true })).not.toThrow();
  });

  it('accepts words ending in "ping", such as the import parameters WrappingAlgorithm and WrappingKeySpec', () => {
    expect(() => assertNoSecrets({ WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048', Mapping: 'x', Grouping: 'y' })).not.toThrow();
  });

  it('looks only at keys: values are the callers responsibility', () => {
    expect(() => assertNoSecrets({ Note: 'password reset requested' })).not.toThrow();
  });
});
