import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors';

/*
 * External key stores (seed 004, issue 13 part 2): a Keyward key store whose keys live behind an
 * XKS proxy (any AWS KMS External Key Store Proxy API v1 server, Keyward's own included). The
 * fields follow AWS KMS CreateCustomKeyStore for KeyStoreType EXTERNAL_KEY_STORE.
 */

export const certificatePemSchema = z.string().min(64).max(16_384).regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate');

/** `https://host[:port]`, nothing after it: AWS takes the path separately (XksProxyUriPath). */
export const xksProxyUriEndpointSchema = z
  .string()
  .min(10)
  .max(128)
  .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/, 'must be https://host or https://host:port, with no path');

/** As AWS: an optional prefix, then `/kms/xks/v1`, at most 128 characters. */
export const xksProxyUriPathSchema = z
  .string()
  .min('/kms/xks/v1'.length)
  .max(128)
  .regex(/^(\/[A-Za-z0-9_-]+)*\/kms\/xks\/v1$/, 'must end with /kms/xks/v1, after an optional prefix of /-separated A-Z a-z 0-9 _ - segments');

export const xksProxyAuthenticationCredentialSchema = z.strictObject({
  AccessKeyId: z.string().regex(/^[A-Z2-7]{20,30}$/, 'must be 20-30 characters of A-Z and 2-7'),
  RawSecretAccessKey: z.string().regex(/^[A-Za-z0-9/+=]{43,64}$/, 'must be 43-64 characters of A-Z a-z 0-9 / + ='),
});

/** Offline there is no VPC endpoint service: the proxy is reached at its URI. */
export const xksProxyConnectivitySchema = z.enum(['PUBLIC_ENDPOINT']);

/** The external key's id at the proxy, as AWS KMS takes it (Keyward's proxy also takes an alias name without its alias/ prefix). */
export const xksKeyIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . -');

export const xksProxyConfigurationSchema = z.object({
  Connectivity: xksProxyConnectivitySchema,
  AccessKeyId: z.string(),
  UriEndpoint: z.string(),
  UriPath: z.string(),
  /** The proxy's TLS certificate is checked against this PEM instead of the system's CAs. */
  CaCertificate: z.string().nullable(),
});
export type XksProxyConfiguration = z.infer<typeof xksProxyConfigurationSchema>;

/** What the last call to the proxy (a health probe or a key operation) found; null before the first. */
export const xksProxyHealthSchema = z.object({
  CheckedAt: z.string(),
  /** null when the call was answered as the API says. */
  ErrorCode: z.string().nullable(),
  Message: z.string().nullable(),
  /** From the last health answer: the proxy's vendor and model, and each external HSM's status. */
  XksProxyVendor: z.string().nullable(),
  EkmFleetDetails: z.array(z.object({ Id: z.string(), Model: z.string(), HealthStatus: z.string() })),
});
export type XksProxyHealth = z.infer<typeof xksProxyHealthSchema>;

/** What an operation that calls an external key store's XKS proxy may answer besides its own errors. */
export const XKS_CALL_ERRORS: readonly ErrorCode[] = ERROR_CODES.filter(
  (code) => code.startsWith('XksProxy.') || code.startsWith('XksKey.') || code === 'Throttling.XksProxy',
);
