import { describe, expect, it } from 'vitest';
import { derBase64ToPem, timeLeft, wrapCommand, wrappingAlgorithmChoices } from '../../../renderer/src/lib/import-material';

describe('derBase64ToPem', () => {
  it('wraps base64 in 64-character lines between PEM markers', () => {
    const pem = derBase64ToPem(`${'A'.repeat(100)}\n`);
    expect(pem).toBe(`-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n${'A'.repeat(36)}\n-----END PUBLIC KEY-----\n`);
  });
});

describe('timeLeft', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('counts hours and minutes down to expiry', () => {
    expect(timeLeft('2026-01-02T00:00:00Z', now)).toEqual({ expired: false, text: '24 h 0 min' });
    expect(timeLeft('2026-01-01T00:04:30Z', now)).toEqual({ expired: false, text: '4 min' });
    expect(timeLeft('2026-01-01T00:00:30Z', now)).toEqual({ expired: false, text: 'less than a minute' });
    expect(timeLeft('2025-12-31T23:59:00Z', now)).toEqual({ expired: true, text: 'expired' });
    expect(timeLeft('', now)).toEqual({ expired: false, text: 'unknown' });
  });
});

describe('wrapCommand', () => {
  it('names the OAEP digest of the chosen wrapping algorithm', () => {
    expect(wrapCommand('RSAES_OAEP_SHA_1')).toContain('rsa_oaep_md:sha1');
    expect(wrapCommand('RSAES_OAEP_SHA_256')).toContain('rsa_oaep_md:sha256');
  });

  it('wraps a key pair as the README does: PKCS#8 under an AES-256 key wrap, that key under RSA-OAEP, in this order', () => {
    const command = wrapCommand('RSA_AES_KEY_WRAP_SHA_1');
    expect(command).toContain('openssl pkcs8 -topk8 -nocrypt');
    expect(command).toContain('openssl enc -id-aes256-wrap-pad -iv A65959A6');
    expect(command).toContain('-in aes.key -out aes.wrapped');
    expect(command).toContain('rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1');
    expect(command).toContain('cat aes.wrapped private.wrapped | base64 -w0');
    expect(wrapCommand('RSA_AES_KEY_WRAP_SHA_256')).toContain('rsa_mgf1_md:sha256');
  });
});

describe('wrappingAlgorithmChoices', () => {
  it('offers RSAES_* for secret keys and RSA_AES_KEY_WRAP_* for key pairs, only what the key store runs', () => {
    expect(wrappingAlgorithmChoices('HMAC_SHA256', null).map((choice) => [choice.value, choice.disabled])).toEqual([
      ['RSAES_OAEP_SHA_1', false],
      ['RSAES_OAEP_SHA_256', false],
    ]);
    const pairs = wrappingAlgorithmChoices('EC_P256K', ['RSAES_OAEP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_1']);
    expect(pairs.map((choice) => [choice.value, choice.disabled])).toEqual([
      ['RSA_AES_KEY_WRAP_SHA_1', false],
      ['RSA_AES_KEY_WRAP_SHA_256', true],
    ]);
    expect(pairs[1]?.label).toContain("not supported by this key store's HSMs");
  });
});
