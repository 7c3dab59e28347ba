import { z } from 'zod';
import { defineOperation } from './define';
import { keyStoreIdSchema } from './keystores';

/**
 * XKS proxies Keyward serves (issue 13, part 1): the AWS KMS External Key Store Proxy API v1 over
 * the AES-256 keys of one key store, under the proxy's URI path on the application endpoint, with
 * SigV4 credentials (service `kms-xks-proxy`) that are shown once and kept only sealed.
 */

/** `XksProxyUriPath` as AWS takes it: at most 128 characters of a-z A-Z 0-9 / - _ (the `/kms/xks/v1` suffix is Keyward's). */
export const XKS_URI_PATH_MAX = 128;

export const xksProxyIdSchema = z.string().regex(/^xksp-[0-9a-f-]{36}$/, 'an XKS proxy id xksp-<uuid>');

export const xksProxyNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

/** The path prefix under which the proxy's `/kms/xks/v1/...` API is served. */
export const xksUriPathSchema = z
  .string()
  .min(1)
  .max(XKS_URI_PATH_MAX - '/kms/xks/v1'.length)
  .regex(/^(\/[A-Za-z0-9_-]+)+$/, 'must start with /, hold only A-Z a-z 0-9 _ - and /, with no empty segment and no trailing /');

/** A SigV4 credential as the AWS KMS console takes it (AccessKeyId and RawSecretAccessKey). */
const credentialSchema = z.object({
  /** 20 characters of A-Z and 2-7 (base32 of random bytes); names the secret, reveals nothing of it. */
  AccessKeyId: z.string(),
  /** 43 characters of base64 (256 random bits): shown once, never stored in the clear. */
  SecretAccessKey: z.string(),
  /** The full `XksProxyUriPath` to configure in AWS KMS (the proxy's UriPath + `/kms/xks/v1`). */
  XksProxyUriPath: z.string(),
});

export const xksExposedKeySchema = z.object({
  KeyId: z.string(),
  Aliases: z.array(z.string()),
  KeyState: z.string(),
});

export const xksProxySchema = z.object({
  XksProxyId: z.string(),
  Name: z.string(),
  UriPath: z.string(),
  XksProxyUriPath: z.string(),
  KeyStoreId: z.string(),
  /** Access key ids of the live credentials, newest first (secrets are never shown again). */
  AccessKeyIds: z.array(z.string()),
  CreatedAt: z.string(),
  /** The keys the proxy serves: AES-256 ENCRYPT/DECRYPT keys of its key store (Keyward's own reserved keys excepted). */
  Keys: z.array(xksExposedKeySchema),
});
export type XksProxy = z.infer<typeof xksProxySchema>;

const byId = z.strictObject({ XksProxyId: xksProxyIdSchema });

export const xksProxyOperations = {
  CreateXksProxy: defineOperation({
    summary: 'Serve the XKS Proxy API for the AES-256 keys of a key store under a URI path; its first SigV4 credential is shown once.',
    input: z.strictObject({ Name: xksProxyNameSchema, UriPath: xksUriPathSchema, KeyStoreId: keyStoreIdSchema }),
    result: credentialSchema.extend({ XksProxyId: z.string() }),
    errors: ['AlreadyExists.XksProxy', 'NotFound.KeyStore', 'Forbidden.KeyStoreState'],
    mutates: true,
  }),
  RotateXksProxyCredential: defineOperation({
    summary: 'Add a new SigV4 credential to an XKS proxy (shown once); the older ones stay valid until retired.',
    input: byId,
    result: credentialSchema,
    errors: ['NotFound.XksProxy', 'Forbidden.KeyStoreState'],
    mutates: true,
  }),
  RetireXksProxyCredential: defineOperation({
    summary: 'Retire every credential of an XKS proxy but the newest.',
    input: byId,
    result: z.object({ RetiredAccessKeyIds: z.array(z.string()), AccessKeyId: z.string() }),
    errors: ['NotFound.XksProxy', 'Forbidden.XksProxyCredential'],
    mutates: true,
  }),
  DescribeXksProxies: defineOperation({
    summary: 'List the XKS proxies Keyward serves (or one), with their access key ids and the keys they expose.',
    input: z.strictObject({ XksProxyId: xksProxyIdSchema.optional() }),
    result: z.object({ XksProxies: z.array(xksProxySchema) }),
    errors: ['NotFound.XksProxy'],
    mutates: false,
  }),
  DeleteXksProxy: defineOperation({
    summary: 'Stop serving an XKS proxy: its path answers InvalidUriPathException and its credentials are gone.',
    input: byId,
    result: z.object({}),
    errors: ['NotFound.XksProxy'],
    mutates: true,
  }),
};
