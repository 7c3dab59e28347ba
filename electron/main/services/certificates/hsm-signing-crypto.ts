/**
 * X.509 signatures made inside an HSM. @peculiar/x509 signs through a WebCrypto `Crypto`; this one
 * delegates everything to Node's WebCrypto except `sign` with one placeholder key, which hashes the
 * TBS data and has the HSM sign the digest (CKM_ECDSA gives raw r||s, WebCrypto's format). The
 * cluster owner certificate and the instance CA both sign this way.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type Crypto = webcrypto.Crypto;
type BufferSource = webcrypto.BufferSource;
type EcdsaParams = webcrypto.EcdsaParams;

export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;

/** Signs a SHA-256 digest with an EC P-256 private key inside the HSM; returns raw r||s. */
export type DigestSigner = (digest: Buffer) => Promise<Buffer>;

/** A handle the HSM-backed `sign` recognizes; it holds no key material. */
export function hsmKeyHandle(): CryptoKey {
  return { type: 'private', algorithm: EC_P256, extractable: false, usages: ['sign'] } as unknown as CryptoKey;
}

/** A `Crypto` whose `sign` with `handle` goes to the HSM through `signDigest`. */
export function hsmBackedCrypto(handle: CryptoKey, signDigest: DigestSigner): Crypto {
  const subtle = webcrypto.subtle;
  const sign = async (algorithm: unknown, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> => {
    if (key !== handle) return subtle.sign(algorithm as EcdsaParams, key, data);
    const bytes = ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
    const raw = await signDigest(createHash('sha256').update(bytes).digest());
    return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  };
  // SubtleCrypto methods check their receiver, so everything else is bound to the real one.
  const proxied = new Proxy(subtle, {
    get(target, property) {
      if (property === 'sign') return sign;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    subtle: proxied,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
  } as unknown as Crypto;
}

/** A positive 16-byte serial in hex: the top bit cleared so DER needs no sign byte. */
export function randomSerialNumber(): string {
  return Buffer.from(randomBytes(16).map((byte, index) => (index === 0 ? byte & 0x7f : byte))).toString('hex');
}
