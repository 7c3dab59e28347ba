/** Helpers of the key material import: the wrapping key as PEM, the token's remaining time. */

/** base64 DER → PEM with 64-character lines. */
export function derBase64ToPem(base64: string, label = 'PUBLIC KEY'): string {
  const compact = base64.replace(/\s+/g, '');
  const lines = compact.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** "23 h 59 min" / "4 min" / "expired" until an ISO time. */
export function timeLeft(expireIso: string, nowMs: number): { expired: boolean; text: string } {
  const end = Date.parse(expireIso);
  if (Number.isNaN(end)) return { expired: false, text: 'unknown' };
  const minutes = Math.floor((end - nowMs) / 60_000);
  if (end <= nowMs) return { expired: true, text: 'expired' };
  if (minutes < 1) return { expired: false, text: 'less than a minute' };
  const hours = Math.floor(minutes / 60);
  return { expired: false, text: hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min` };
}

/** The openssl command that wraps raw key material for this import (shown to the officer). */
export function wrapCommand(algorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256'): string {
  const md = algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
  return [
    'openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in key-material.bin \\',
    `  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:${md} -pkeyopt rsa_mgf1_md:${md} | base64 -w0`,
  ].join('\n');
}
