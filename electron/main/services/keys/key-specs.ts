import type { KeySpec, KeyUsage, SigningAlgorithm } from '../../../../shared/contract';
import { EXTERNAL_KEY_SPECS, SIGNING_ALGORITHMS_BY_SPEC, USAGES_BY_SPEC } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyMaterialSpec, SignMechanism } from '../../hsm/types';

const MATERIAL_BY_SPEC: Record<KeySpec, KeyMaterialSpec> = {
  Aliyun_AES_256: { kind: 'AES', bits: 256 },
  Aliyun_AES_128: { kind: 'AES', bits: 128 },
  Aliyun_AES_192: { kind: 'AES', bits: 192 },
  RSA_2048: { kind: 'RSA', bits: 2048 },
  RSA_3072: { kind: 'RSA', bits: 3072 },
  RSA_4096: { kind: 'RSA', bits: 4096 },
  EC_P256: { kind: 'EC', curve: 'P-256' },
  EC_P256K: { kind: 'EC', curve: 'secp256k1' },
  HMAC_SHA256: { kind: 'HMAC', bits: 256 },
  HMAC_SHA512: { kind: 'HMAC', bits: 512 },
  EC_ED25519: { kind: 'ED25519' },
};

export function materialSpecOf(spec: KeySpec): KeyMaterialSpec {
  return MATERIAL_BY_SPEC[spec];
}

export function isSymmetricSpec(spec: KeySpec): boolean {
  return MATERIAL_BY_SPEC[spec].kind === 'AES';
}

/** Specs whose material can be imported (the shared list): secret keys and RSA/EC key pairs. */
export function isImportableSpec(spec: KeySpec): boolean {
  return EXTERNAL_KEY_SPECS.includes(spec);
}

export function isAsymmetricSpec(spec: KeySpec): boolean {
  const kind = MATERIAL_BY_SPEC[spec].kind;
  return kind === 'RSA' || kind === 'EC' || kind === 'ED25519';
}

/** The usage a spec gets when CreateKey omits KeyUsage, and a refusal of a usage the spec cannot have. */
export function resolveUsage(spec: KeySpec, requested: KeyUsage | undefined): KeyUsage {
  const allowed = USAGES_BY_SPEC[spec];
  const usage = requested ?? allowed[0];
  if (!usage || !allowed.includes(usage)) {
    throw new KmsError('Forbidden.KeyUsage', `KeyUsage ${String(requested)} is not allowed for ${spec}; allowed: ${allowed.join(', ')}.`);
  }
  return usage;
}

export function signMechanismFor(spec: KeySpec, algorithm: SigningAlgorithm): SignMechanism {
  const allowed = SIGNING_ALGORITHMS_BY_SPEC[spec] ?? [];
  if (!allowed.includes(algorithm)) {
    throw new KmsError('InvalidParameter', `Algorithm ${algorithm} cannot be used with a ${spec} key; allowed: ${allowed.join(', ') || 'none'}.`);
  }
  if (algorithm === 'ECDSA_SHA_256') return 'ECDSA';
  if (algorithm === 'ED25519_SHA_512') return 'EDDSA';
  return algorithm === 'RSA_PSS_SHA_256' ? 'RSA_PSS_SHA256' : 'RSA_PKCS_SHA256_DIGEST';
}

/** Byte width of one ECDSA coordinate for the spec's curve. */
export function ecCoordinateBytes(spec: KeySpec): number {
  return spec === 'EC_P256' || spec === 'EC_P256K' ? 32 : 0;
}

const SECONDS_PER_UNIT = { d: 86_400, h: 3_600, s: 1 } as const;
export const MIN_ROTATION_SECONDS = 7 * 86_400;
export const MAX_ROTATION_SECONDS = 730 * 86_400;

/** `30d` / `720h` / `2592000s` → seconds, within 7..730 days. */
export function rotationIntervalSeconds(interval: string): number {
  const unit = interval.slice(-1) as keyof typeof SECONDS_PER_UNIT;
  const seconds = Number(interval.slice(0, -1)) * SECONDS_PER_UNIT[unit];
  if (!Number.isFinite(seconds) || seconds < MIN_ROTATION_SECONDS || seconds > MAX_ROTATION_SECONDS) {
    throw new KmsError('InvalidParameter', 'RotationInterval must be between 7 and 730 days.');
  }
  return seconds;
}
