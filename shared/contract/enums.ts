import { z } from 'zod';

export const KEY_SPECS = [
  'Aliyun_AES_256',
  'Aliyun_AES_128',
  'Aliyun_AES_192',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_P256',
  'EC_P256K',
  'HMAC_SHA256',
  'HMAC_SHA512',
  'EC_ED25519',
] as const;
export const keySpecSchema = z.enum(KEY_SPECS);
export type KeySpec = z.infer<typeof keySpecSchema>;

export const KEY_USAGES = ['ENCRYPT/DECRYPT', 'SIGN/VERIFY', 'GENERATE/VERIFY_MAC'] as const;
export const keyUsageSchema = z.enum(KEY_USAGES);
export type KeyUsage = z.infer<typeof keyUsageSchema>;

/** EXTERNAL: imported material; EXTERNAL_KEY_STORE: a key of an external key store, behind an XKS proxy. */
export const originSchema = z.enum(['Aliyun_KMS', 'EXTERNAL', 'EXTERNAL_KEY_STORE']);
export type Origin = z.infer<typeof originSchema>;

export const protectionLevelSchema = z.enum(['SOFTWARE', 'HSM']);
export type ProtectionLevel = z.infer<typeof protectionLevelSchema>;

export const keyStateSchema = z.enum(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']);
export type KeyState = z.infer<typeof keyStateSchema>;

/**
 * `ED25519_SHA_512` is pure EdDSA (RFC 8032) over the message itself, as AWS KMS's ED25519_SHA_512
 * with MessageType RAW: AsymmetricSign/Verify then carry the message in `Digest`.
 */
export const signingAlgorithmSchema = z.enum(['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256', 'ECDSA_SHA_256', 'ED25519_SHA_512']);
export type SigningAlgorithm = z.infer<typeof signingAlgorithmSchema>;

export const connectionStateSchema = z.enum(['CONNECTED', 'CONNECTING', 'DISCONNECTED', 'DISCONNECTING', 'FAILED']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const connectionErrorCodeSchema = z.enum([
  'INVALID_CREDENTIALS',
  'CLUSTER_NOT_FOUND',
  'CLUSTER_NOT_ACTIVE',
  'INSUFFICIENT_HSMS',
  'USER_NOT_FOUND',
  'USER_LOCKED_OUT',
  'TRUST_ANCHOR_MISMATCH',
  'NETWORK_ERRORS',
  'INTERNAL_ERROR',
  'XKS_PROXY_ACCESS_DENIED',
  'XKS_PROXY_INVALID_CONFIGURATION',
  'XKS_PROXY_INVALID_RESPONSE',
  'XKS_PROXY_INVALID_TLS_CONFIGURATION',
  'XKS_PROXY_NOT_REACHABLE',
  'XKS_PROXY_TIMED_OUT',
]);
export type ConnectionErrorCode = z.infer<typeof connectionErrorCodeSchema>;

export const keyStoreTypeSchema = z.enum(['DEFAULT', 'HSM_CLUSTER', 'EXTERNAL_KEY_STORE']);
export type KeyStoreType = z.infer<typeof keyStoreTypeSchema>;

/** Which usages each spec allows; CreateKey refuses other combinations. */
export const USAGES_BY_SPEC: Record<KeySpec, readonly KeyUsage[]> = {
  Aliyun_AES_256: ['ENCRYPT/DECRYPT'],
  Aliyun_AES_128: ['ENCRYPT/DECRYPT'],
  Aliyun_AES_192: ['ENCRYPT/DECRYPT'],
  RSA_2048: ['ENCRYPT/DECRYPT', 'SIGN/VERIFY'],
  RSA_3072: ['ENCRYPT/DECRYPT', 'SIGN/VERIFY'],
  RSA_4096: ['ENCRYPT/DECRYPT', 'SIGN/VERIFY'],
  EC_P256: ['SIGN/VERIFY'],
  EC_P256K: ['SIGN/VERIFY'],
  HMAC_SHA256: ['GENERATE/VERIFY_MAC'],
  HMAC_SHA512: ['GENERATE/VERIFY_MAC'],
  EC_ED25519: ['SIGN/VERIFY'],
};

/**
 * Specs CreateKey accepts with `Origin: EXTERNAL`. Secret (AES, HMAC) material arrives under
 * RSA-OAEP, key pairs as PKCS#8 under RSA_AES_KEY_WRAP_* (see EXTERNAL_KEY_PAIR_SPECS). The service
 * and the console both read this list.
 */
export const EXTERNAL_SECRET_KEY_SPECS: readonly KeySpec[] = ['Aliyun_AES_256', 'Aliyun_AES_128', 'Aliyun_AES_192', 'HMAC_SHA256', 'HMAC_SHA512'];
/** Key pairs whose private key can be imported as PKCS#8 (no Ed25519: AWS KMS and Alibaba import none either). */
export const EXTERNAL_KEY_PAIR_SPECS: readonly KeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_P256', 'EC_P256K'];
export const EXTERNAL_KEY_SPECS: readonly KeySpec[] = KEY_SPECS.filter((spec) => EXTERNAL_SECRET_KEY_SPECS.includes(spec) || EXTERNAL_KEY_PAIR_SPECS.includes(spec));

/** Signing algorithms each asymmetric spec can use. */
export const SIGNING_ALGORITHMS_BY_SPEC: Partial<Record<KeySpec, readonly SigningAlgorithm[]>> = {
  RSA_2048: ['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256'],
  RSA_3072: ['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256'],
  RSA_4096: ['RSA_PSS_SHA_256', 'RSA_PKCS1_SHA_256'],
  EC_P256: ['ECDSA_SHA_256'],
  EC_P256K: ['ECDSA_SHA_256'],
  EC_ED25519: ['ED25519_SHA_512'],
};
