import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { pageNumberSchema, pageSizeSchema, utcTimestampSchema } from './primitives';

/**
 * Application access points (seeds 001, 002; names as in Alibaba KMS): how applications
 * authenticate to Keyward's keys and secrets. A network rule lists source addresses; a policy
 * grants permissions on resources from the addresses of its network rules; an access point (AAP)
 * carries 1-3 policies and the client keys applications present over mutual TLS.
 */
export const MAX_SOURCE_ADDRESSES = 800;
export const MAX_POLICY_NETWORK_RULES = 40;
export const MAX_AAP_POLICIES = 3;
/** Validity of a client key's certificate without NotAfter. */
export const DEFAULT_CLIENT_KEY_YEARS = 5;

export const KEY_USER_PERMISSION = 'RbacPermission/Template/CryptoServiceKeyUser';
export const SECRET_USER_PERMISSION = 'RbacPermission/Template/CryptoServiceSecretUser';
export const permissionSchema = z.enum([KEY_USER_PERMISSION, SECRET_USER_PERMISSION]);
export type Permission = z.infer<typeof permissionSchema>;

/** Names of rules, policies and access points. */
export const accessNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const sourceAddressSchema = z.union([z.ipv4(), z.cidrv4(), z.ipv6(), z.cidrv6()], {
  error: 'must be an IPv4 or IPv6 address or CIDR block',
});

/** `key/*`, `key/<KeyId>`, `alias/<name>`, `secret/*`, `secret/<SecretName>`. */
export const policyResourceSchema = z
  .string()
  .max(256)
  .regex(
    /^(key\/\*|key\/[A-Za-z0-9-]{1,64}|alias\/[A-Za-z0-9_/-]{1,250}|secret\/\*|secret\/[A-Za-z0-9_/+=.@-]{1,192})$/,
    'must be key/*, key/<KeyId>, alias/<name>, secret/* or secret/<SecretName>',
  );

export const clientKeyIdSchema = z.string().regex(/^KAAP\.[0-9a-f-]{36}$/, 'a client key id KAAP.<uuid>');

/** The client key's PKCS#12 password: never stored. */
export const clientKeyPasswordSchema = z
  .string()
  .min(8, 'must be 8-64 characters')
  .max(64, 'must be 8-64 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const descriptionSchema = z.string().max(256);

export const networkRuleSchema = z.object({
  Name: z.string(),
  Type: z.literal('Private'),
  SourcePrivateIp: z.array(z.string()),
  Description: z.string(),
  /** Policies that use the rule (it cannot be deleted while there are any). */
  Policies: z.array(z.string()),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
});
export type NetworkRule = z.infer<typeof networkRuleSchema>;

export const policySchema = z.object({
  Name: z.string(),
  Permissions: z.array(permissionSchema),
  Resources: z.array(z.string()),
  AccessControlRules: z.object({ NetworkRules: z.array(z.string()) }),
  Description: z.string(),
  /** Access points the policy is attached to (it cannot be deleted while there are any). */
  AccessPoints: z.array(z.string()),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
});
export type AccessPolicy = z.infer<typeof policySchema>;

export const accessPointSchema = z.object({
  Name: z.string(),
  AuthenticationMethod: z.literal('ClientKey'),
  Policies: z.array(z.string()),
  Description: z.string(),
  ClientKeyCount: z.number(),
  CreatedAt: z.string(),
  UpdatedAt: z.string(),
});
export type AccessPoint = z.infer<typeof accessPointSchema>;

export const clientKeySummarySchema = z.object({
  ClientKeyId: z.string(),
  AapName: z.string(),
  KeyAlgorithm: z.literal('RSA_2048'),
  NotBefore: z.string(),
  NotAfter: z.string(),
  /** SHA-256 of the client certificate (DER), lowercase hex: what the endpoint's audit records name. */
  CertificateSha256: z.string(),
  CreatedAt: z.string(),
});
export type ClientKeySummary = z.infer<typeof clientKeySummarySchema>;

const pageShape = { PageNumber: pageNumberSchema, PageSize: pageSizeSchema };
const pageResult = { TotalCount: z.number(), PageNumber: z.number(), PageSize: z.number() };
const byName = z.strictObject({ Name: accessNameSchema });

export const accessPointOperations = {
  CreateNetworkRule: defineOperation({
    summary: 'Create a network rule: the private source addresses (IPs or CIDR blocks) a policy admits.',
    input: z.strictObject({
      Name: accessNameSchema,
      Type: z.literal('Private').default('Private'),
      SourcePrivateIp: z.array(sourceAddressSchema).min(1).max(MAX_SOURCE_ADDRESSES),
      Description: descriptionSchema.default(''),
    }),
    result: networkRuleSchema,
    errors: ['AlreadyExists.NetworkRule'],
    mutates: true,
  }),
  UpdateNetworkRule: defineOperation({
    summary: 'Change a network rule’s addresses or description (policies using it follow at once).',
    input: z.strictObject({
      Name: accessNameSchema,
      SourcePrivateIp: z.array(sourceAddressSchema).min(1).max(MAX_SOURCE_ADDRESSES).optional(),
      Description: descriptionSchema.optional(),
    }),
    result: networkRuleSchema,
    errors: ['NotFound.NetworkRule'],
    mutates: true,
  }),
  DeleteNetworkRule: defineOperation({
    summary: 'Delete a network rule no policy uses.',
    input: byName,
    result: z.object({}),
    errors: ['NotFound.NetworkRule', 'Forbidden.ResourceInUse'],
    mutates: true,
  }),
  ListNetworkRules: defineOperation({
    summary: 'List network rules.',
    input: z.strictObject(pageShape),
    result: z.object({ NetworkRules: z.array(networkRuleSchema), ...pageResult }),
    errors: [],
    mutates: false,
  }),
  DescribeNetworkRule: defineOperation({
    summary: 'Show one network rule.',
    input: byName,
    result: networkRuleSchema,
    errors: ['NotFound.NetworkRule'],
    mutates: false,
  }),
  CreatePolicy: defineOperation({
    summary: 'Create a policy: permissions on keys or secrets, from the addresses of its network rules.',
    input: z.strictObject({
      Name: accessNameSchema,
      Permissions: z.array(permissionSchema).min(1).max(2),
      Resources: z.array(policyResourceSchema).min(1).max(100),
      AccessControlRules: z.strictObject({ NetworkRules: z.array(accessNameSchema).min(1).max(MAX_POLICY_NETWORK_RULES) }),
      Description: descriptionSchema.default(''),
    }),
    result: policySchema,
    errors: ['AlreadyExists.Policy', 'NotFound.NetworkRule'],
    mutates: true,
  }),
  UpdatePolicy: defineOperation({
    summary: 'Change a policy (access points using it follow at once).',
    input: z.strictObject({
      Name: accessNameSchema,
      Permissions: z.array(permissionSchema).min(1).max(2).optional(),
      Resources: z.array(policyResourceSchema).min(1).max(100).optional(),
      AccessControlRules: z.strictObject({ NetworkRules: z.array(accessNameSchema).min(1).max(MAX_POLICY_NETWORK_RULES) }).optional(),
      Description: descriptionSchema.optional(),
    }),
    result: policySchema,
    errors: ['NotFound.Policy', 'NotFound.NetworkRule'],
    mutates: true,
  }),
  DeletePolicy: defineOperation({
    summary: 'Delete a policy no access point uses.',
    input: byName,
    result: z.object({}),
    errors: ['NotFound.Policy', 'Forbidden.ResourceInUse'],
    mutates: true,
  }),
  ListPolicies: defineOperation({
    summary: 'List policies.',
    input: z.strictObject(pageShape),
    result: z.object({ Policies: z.array(policySchema), ...pageResult }),
    errors: [],
    mutates: false,
  }),
  DescribePolicy: defineOperation({
    summary: 'Show one policy.',
    input: byName,
    result: policySchema,
    errors: ['NotFound.Policy'],
    mutates: false,
  }),
  CreateApplicationAccessPoint: defineOperation({
    summary: 'Create an application access point with 1-3 policies; applications reach it with its client keys.',
    input: z.strictObject({
      Name: accessNameSchema,
      AuthenticationMethod: z.literal('ClientKey').default('ClientKey'),
      Policies: z.array(accessNameSchema).min(1).max(MAX_AAP_POLICIES),
      Description: descriptionSchema.default(''),
    }),
    result: accessPointSchema,
    errors: ['AlreadyExists.ApplicationAccessPoint', 'NotFound.Policy'],
    mutates: true,
  }),
  UpdateApplicationAccessPoint: defineOperation({
    summary: 'Change an access point’s policies or description (effective for the next call).',
    input: z.strictObject({
      Name: accessNameSchema,
      Policies: z.array(accessNameSchema).min(1).max(MAX_AAP_POLICIES).optional(),
      Description: descriptionSchema.optional(),
    }),
    result: accessPointSchema,
    errors: ['NotFound.ApplicationAccessPoint', 'NotFound.Policy'],
    mutates: true,
  }),
  DeleteApplicationAccessPoint: defineOperation({
    summary: 'Delete an access point; its client keys are revoked at once.',
    input: byName,
    result: z.object({ RevokedClientKeys: z.number() }),
    errors: ['NotFound.ApplicationAccessPoint'],
    mutates: true,
  }),
  ListApplicationAccessPoints: defineOperation({
    summary: 'List application access points.',
    input: z.strictObject(pageShape),
    result: z.object({ ApplicationAccessPoints: z.array(accessPointSchema), ...pageResult }),
    errors: [],
    mutates: false,
  }),
  DescribeApplicationAccessPoint: defineOperation({
    summary: 'Show one application access point.',
    input: byName,
    result: accessPointSchema,
    errors: ['NotFound.ApplicationAccessPoint'],
    mutates: false,
  }),
  CreateClientKey: defineOperation({
    summary: 'Issue a client key for an access point: shown once (PKCS#12 under the password, and the access key secret), never stored.',
    input: z.strictObject({
      AapName: accessNameSchema,
      Password: clientKeyPasswordSchema,
      NotBefore: utcTimestampSchema.optional(),
      NotAfter: utcTimestampSchema.optional(),
    }),
    result: z.object({
      ClientKeyId: z.string(),
      KeyAlgorithm: z.literal('RSA_2048'),
      /** Base64 PKCS#12 under the password (AES-256-CBC, HMAC-SHA256 MAC): key, certificate, CA certificate. */
      PrivateKeyData: z.string(),
      /** For SDKs that sign requests with SigV4 (access key id = ClientKeyId). */
      AccessKeySecret: z.string(),
      CaCertificate: z.string(),
      NotBefore: z.string(),
      NotAfter: z.string(),
      CertificateSha256: z.string(),
    }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.ApplicationAccessPoint', 'Forbidden.KeyStoreState'],
    mutates: true,
    secretFields: ['Password'],
  }),
  ListClientKeys: defineOperation({
    summary: 'List an access point’s client keys (certificates only; no secret is kept).',
    input: z.strictObject({ AapName: accessNameSchema }),
    result: z.object({ ClientKeys: z.array(clientKeySummarySchema) }),
    errors: ['NotFound.ApplicationAccessPoint'],
    mutates: false,
  }),
  DeleteClientKey: defineOperation({
    summary: 'Revoke a client key at once (open connections included).',
    input: z.strictObject({ ClientKeyId: clientKeyIdSchema }),
    result: z.object({}),
    errors: ['NotFound.ClientKey'],
    mutates: true,
  }),
  GetInstanceCaCertificate: defineOperation({
    summary: 'The instance CA certificate (PEM) applications verify the endpoint with; its key lives in the default key store’s HSM.',
    input: z.strictObject({}),
    result: z.object({ CaCertificate: z.string(), Sha256: z.string(), NotAfter: z.string() }),
    errors: ['Forbidden.KeyStoreState'],
    mutates: true,
  }),
} as const;
