import { describe, expect, it } from 'vitest';
import { derBase64ToPem, timeLeft, wrapCommand } from '../../../renderer/src/lib/import-material';

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
});
