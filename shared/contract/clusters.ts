import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import {
  certificatePemSchema,
  xksProxyAuthenticationCredentialSchema,
  xksProxyConnectivitySchema,
  xksProxyUriEndpointSchema,
  xksProxyUriPathSchema,
} from './external-key-stores';
import { passwordSchema } from './primitives';

export const clusterStateSchema = z.enum(['UNINITIALIZED', 'INITIALIZED', 'ACTIVE', 'DEGRADED']);
export type ClusterState = z.infer<typeof clusterStateSchema>;

/** What a probe of a member found: its token answers, its module/server is gone, or the token is not there. */
export const hsmHealthSchema = z.enum(['HEALTHY', 'UNREACHABLE', 'TOKEN_NOT_PRESENT', 'NOT_INITIALIZED']);

export const clusterIdSchema = z.string().min(1).max(64);
const keyStoreNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9 ._-]+$/, 'must be letters, digits, space, . _ -');

/** Which CreateKeyStore fields each type takes; the others are refused rather than ignored. */
const CLUSTER_STORE_FIELDS = { required: ['ClusterId', 'KeyStorePassword', 'TrustAnchorCertificate'], optional: [] } as const;
const EXTERNAL_STORE_FIELDS = {
  required: ['XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyAuthenticationCredential'],
  optional: ['XksProxyConnectivity', 'XksProxyCaCertificate'],
} as const;

const zoneSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, . _ -');
/** PKCS#11 SO PIN: never stored, never logged. */
const soPinSchema = z.string().min(4).max(64).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
/** The only crypto user Keyward's key stores log in as. */
const userNameSchema = z.literal('kmsuser');

export const clusterSummarySchema = z.object({
  ClusterId: z.string(),
  ClusterName: z.string(),
  Description: z.string(),
  State: clusterStateSchema,
  /** Created with AllowSingleHsm: a lab cluster without HSM redundancy. */
  LabCluster: z.boolean(),
  HsmCount: z.number(),
  Zones: z.array(z.string()),
  KeyStoreId: z.string().nullable(),
  CreationDate: z.string(),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const hsmDescriptionSchema = z.object({
  HsmId: z.string(),
  ModuleId: z.string(),
  ModuleName: z.string(),
  TokenSerial: z.string().nullable(),
  SlotId: z.number().nullable(),
  Zone: z.string(),
  Label: z.string(),
  State: z.enum(['UNINITIALIZED', 'INITIALIZED']),
  Health: hsmHealthSchema,
  Reachable: z.boolean(),
  /** Reached through a p11-kit client (a network HSM): no AES key wrap, no AES-GCM. */
  NetworkHsm: z.boolean(),
  SupportsAesKeyWrap: z.boolean(),
  SupportsAesGcm: z.boolean(),
});
export type HsmDescription = z.infer<typeof hsmDescriptionSchema>;

export const replicationIssueSchema = z.object({
  KeyId: z.string(),
  KeyVersionId: z.string(),
  Reason: z.string(),
});

export const memberReplicationSchema = z.object({
  HsmId: z.string(),
  Health: hsmHealthSchema,
  /** Logged in as kmsuser (part of the connected key store) after the sync. */
  Connected: z.boolean(),
  /** Key versions copied to this member because it lacked them. */
  Replicated: z.number(),
  /** Damaged copies (their check value failed inside the HSM) destroyed and copied again. */
  Repaired: z.number(),
  Failed: z.array(replicationIssueSchema),
});

export const memberPasswordChangeSchema = z.object({
  HsmId: z.string(),
  Status: z.enum(['CHANGED', 'ROLLED_BACK', 'FAILED', 'NOT_ATTEMPTED']),
  ErrorCode: z.string().nullable(),
});
export type MemberPasswordChange = z.infer<typeof memberPasswordChangeSchema>;


export const clusterOperations = {
  CreateCluster: defineOperation({
    summary: 'Create an HSM cluster (state UNINITIALIZED).',
    input: z.strictObject({
      ClusterName: z.string().min(1).max(64).regex(/^[A-Za-z0-9 ._-]+$/, 'must be letters, digits, space, . _ -'),
      Description: z.string().max(256).default(''),
      AllowSingleHsm: z.boolean().default(false),
    }),
    result: z.object({ ClusterId: z.string(), State: clusterStateSchema }),
    errors: ['AlreadyExists.Cluster'],
    mutates: true,
  }),
  CreateHsm: defineOperation({
    summary: 'Add a token of a registered module to a cluster, by token serial or slot id, in a zone; added to an initialized cluster it stays UNINITIALIZED until JoinHsm.',
    input: z
      .strictObject({
        ClusterId: clusterIdSchema,
        ModuleId: z.string().min(1).max(64),
        TokenSerial: z.string().min(1).max(16).optional(),
        SlotId: z.number().int().min(0).max(2 ** 53 - 1).optional(),
        Zone: zoneSchema,
      })
      .refine((input) => (input.TokenSerial === undefined) !== (input.SlotId === undefined), 'give exactly one of TokenSerial and SlotId'),
    result: z.object({ HsmId: z.string() }),
    errors: ['NotFound.Cluster', 'NotFound.Module', 'AlreadyExists.Hsm', 'Forbidden.ClusterState', 'HsmError.TokenNotPresent'],
    mutates: true,
  }),
  JoinHsm: defineOperation({
    summary:
      'Bring an HSM added to an initialized cluster in: initialize its token with the SO PIN, exchange transport keys with every member, clone the domain key, create kmsuser (KeyStorePassword) and, when the key store is connected, copy every key version to it.',
    input: z.strictObject({ HsmId: z.string().min(1).max(64), SoPin: soPinSchema, KeyStorePassword: z.string().min(1).max(64) }),
    result: z.object({
      HsmId: z.string(),
      ClusterId: z.string(),
      State: z.literal('INITIALIZED'),
      /** The key store was connected: the member was logged in and synchronized (see Replication). */
      Synchronized: z.boolean(),
      Replication: memberReplicationSchema.nullable(),
    }),
    errors: [
      'NotFound.Hsm',
      'NotFound.Cluster',
      'NotFound.CryptoUser',
      'Forbidden.ClusterState',
      'HsmError.PinIncorrect',
      'HsmError.DeviceError',
      'HsmError.TokenNotPresent',
      'HsmError.PinLocked',
      'Throttling.LoginBackoff',
    ],
    mutates: true,
    secretFields: ['SoPin', 'KeyStorePassword'],
  }),
  DeleteHsm: defineOperation({
    summary:
      'Remove an HSM from a cluster: any member before initialization or before it joined; afterwards a member that does not hold the owner key, while the others keep the cluster redundant.',
    input: z.strictObject({ HsmId: z.string().min(1).max(64) }),
    result: z.object({ HsmId: z.string() }),
    errors: ['NotFound.Hsm', 'Forbidden.ClusterState', 'InsufficientHsms'],
    mutates: true,
  }),
  DescribeClusters: defineOperation({
    summary: 'List clusters with their recorded state.',
    input: z.strictObject({}),
    result: z.object({ Clusters: z.array(clusterSummarySchema) }),
    errors: [],
    mutates: false,
  }),
  DescribeCluster: defineOperation({
    summary: 'A cluster with its members, zones and the health of every member (probed now).',
    input: z.strictObject({ ClusterId: clusterIdSchema }),
    result: z.object({ Cluster: clusterSummarySchema.extend({ Hsms: z.array(hsmDescriptionSchema) }) }),
    errors: ['NotFound.Cluster'],
    mutates: false,
  }),
  InitializeCluster: defineOperation({
    summary: 'Initialize every member token with the SO PIN, create the owner key pair and certificate and the domain key.',
    input: z.strictObject({ ClusterId: clusterIdSchema, SoPin: soPinSchema }),
    result: z.object({ ClusterId: z.string(), State: clusterStateSchema, ClusterOwnerCertificate: z.string() }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.Cluster', 'Forbidden.ClusterState', 'InsufficientHsms', 'HsmError.PinIncorrect', 'HsmError.DeviceError'],
    mutates: true,
    secretFields: ['SoPin'],
  }),
  ActivateCluster: defineOperation({
    summary: 'Activate an initialized cluster: two HSMs in different zones, or one in a lab cluster.',
    input: z.strictObject({ ClusterId: clusterIdSchema }),
    result: z.object({ ClusterId: z.string(), State: clusterStateSchema, LabCluster: z.boolean() }),
    errors: ['NotFound.Cluster', 'Forbidden.ClusterState', 'InsufficientHsms'],
    mutates: true,
  }),
  GetClusterCertificate: defineOperation({
    summary: 'The self-signed ClusterOwnerCertificate (PEM), the trust anchor of the cluster key store.',
    input: z.strictObject({ ClusterId: clusterIdSchema }),
    result: z.object({ ClusterId: z.string(), ClusterOwnerCertificate: z.string() }),
    errors: ['NotFound.Cluster', 'Forbidden.ClusterState'],
    mutates: false,
  }),
  SyncCluster: defineOperation({
    summary:
      'Probe every member, log kmsuser in on members that came back (KeyStorePassword), check every key version on every member by its check value computed inside the HSM, and copy it to members that lack it or hold a damaged copy; the key store must be connected.',
    input: z.strictObject({ ClusterId: clusterIdSchema, KeyStorePassword: z.string().min(1).max(64).optional() }),
    result: z.object({ ClusterId: z.string(), State: clusterStateSchema, Members: z.array(memberReplicationSchema) }),
    errors: ['NotFound.Cluster', 'NotFound.KeyStore', 'Forbidden.KeyStoreState', 'HsmError.PinIncorrect', 'HsmError.PinLocked', 'Throttling.LoginBackoff'],
    mutates: true,
    secretFields: ['KeyStorePassword'],
  }),
  CreateCryptoUser: defineOperation({
    summary: 'Create the crypto user kmsuser on every member (user PIN set under SO login).',
    input: z.strictObject({ ClusterId: clusterIdSchema, UserName: userNameSchema, Password: passwordSchema, SoPin: soPinSchema }),
    result: z.object({ ClusterId: z.string(), UserName: z.string() }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.Cluster', 'AlreadyExists.CryptoUser', 'Forbidden.ClusterState', 'HsmError.PinIncorrect', 'Cluster.PartialFailure', 'HsmError.PinLocked', 'Throttling.LoginBackoff'],
    mutates: true,
    secretFields: ['Password', 'SoPin'],
  }),
  ChangeCryptoUserPassword: defineOperation({
    summary: 'Change the crypto user password on every member; rolled back where possible when one member fails.',
    input: z.strictObject({ ClusterId: clusterIdSchema, UserName: userNameSchema, OldPassword: z.string().min(1).max(64), NewPassword: passwordSchema }),
    result: z.object({ ClusterId: z.string(), UserName: z.string(), Members: z.array(memberPasswordChangeSchema) }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.Cluster', 'NotFound.CryptoUser', 'HsmError.PinIncorrect', 'Cluster.PartialFailure', 'HsmError.PinLocked', 'Throttling.LoginBackoff'],
    mutates: true,
    secretFields: ['OldPassword', 'NewPassword'],
  }),
  DescribeCryptoUsers: defineOperation({
    summary: 'Crypto users of a cluster (names and dates; passwords live only in the HSMs).',
    input: z.strictObject({ ClusterId: clusterIdSchema }),
    result: z.object({ ClusterId: z.string(), Users: z.array(z.object({ UserName: z.string(), CreationDate: z.string(), UpdateDate: z.string() })) }),
    errors: ['NotFound.Cluster'],
    mutates: false,
  }),
  CreateKeyStore: defineOperation({
    summary:
      'Create a key store. HSM_CLUSTER (the default type): the private key store of an active cluster; the trust anchor must match the owner key in the HSM. EXTERNAL_KEY_STORE: keys behind an XKS proxy, reached at XksProxyUriEndpoint + XksProxyUriPath with a SigV4 credential (sealed in the default key store; it must be connected).',
    input: z
      .strictObject({
        KeyStoreName: keyStoreNameSchema,
        KeyStoreType: z.enum(['HSM_CLUSTER', 'EXTERNAL_KEY_STORE']).default('HSM_CLUSTER'),
        ClusterId: clusterIdSchema.optional(),
        KeyStorePassword: z.string().min(1).max(64).optional(),
        TrustAnchorCertificate: certificatePemSchema.optional(),
        XksProxyUriEndpoint: xksProxyUriEndpointSchema.optional(),
        XksProxyUriPath: xksProxyUriPathSchema.optional(),
        XksProxyAuthenticationCredential: xksProxyAuthenticationCredentialSchema.optional(),
        XksProxyConnectivity: xksProxyConnectivitySchema.optional(),
        /** PEM of the CA that issued the proxy's TLS certificate (Keyward's proxy: its GetInstanceCaCertificate); without it, the system's CAs. */
        XksProxyCaCertificate: certificatePemSchema.optional(),
      })
      .superRefine((input, issues) => {
        const fields = input.KeyStoreType === 'HSM_CLUSTER' ? CLUSTER_STORE_FIELDS : EXTERNAL_STORE_FIELDS;
        const others = input.KeyStoreType === 'HSM_CLUSTER' ? EXTERNAL_STORE_FIELDS : CLUSTER_STORE_FIELDS;
        for (const field of fields.required) {
          if (input[field] === undefined) issues.addIssue({ code: 'custom', path: [field], message: `is required for KeyStoreType ${input.KeyStoreType}` });
        }
        for (const field of [...others.required, ...others.optional]) {
          if (input[field] !== undefined) issues.addIssue({ code: 'custom', path: [field], message: `does not apply to KeyStoreType ${input.KeyStoreType}` });
        }
      }),
    result: z.object({ KeyStoreId: z.string() }),
    errors: [
      'NotFound.Cluster',
      'NotFound.CryptoUser',
      'NotFound.KeyStore',
      'AlreadyExists.KeyStore',
      'Forbidden.ClusterState',
      'Forbidden.KeyStoreState',
      'InsufficientHsms',
      'TrustAnchorMismatch',
      'HsmError.PinIncorrect',
      'HsmError.DeviceError',
      'HsmError.PinLocked',
      'Throttling.LoginBackoff',
      ...TOKEN_SESSION_ERRORS,
    ],
    mutates: true,
    secretFields: ['KeyStorePassword', 'XksProxyAuthenticationCredential'],
  }),
  UpdateKeyStore: defineOperation({
    summary: 'Rename a key store, or mark it as the default for HSM keys (CreateKey with ProtectionLevel HSM and no KeyStoreId).',
    input: z.strictObject({
      KeyStoreId: z.string().min(1).max(64),
      NewKeyStoreName: keyStoreNameSchema.optional(),
      /** true marks this HSM-protected store as the default for HSM keys (any other store loses the mark); false removes it. */
      DefaultForHsmKeys: z.boolean().optional(),
      /** External key stores, while disconnected: where the proxy is, and the credential it expects (after a rotation at the proxy). */
      XksProxyUriEndpoint: xksProxyUriEndpointSchema.optional(),
      XksProxyUriPath: xksProxyUriPathSchema.optional(),
      XksProxyAuthenticationCredential: xksProxyAuthenticationCredentialSchema.optional(),
      XksProxyCaCertificate: certificatePemSchema.optional(),
    }),
    result: z.object({ KeyStoreId: z.string() }),
    errors: ['NotFound.KeyStore', 'AlreadyExists.KeyStore', 'UnsupportedOperation', 'Forbidden.KeyStoreState', ...TOKEN_SESSION_ERRORS],
    mutates: true,
    secretFields: ['XksProxyAuthenticationCredential'],
  }),
  DeleteKeyStore: defineOperation({
    summary: 'Delete a disconnected cluster key store that holds no keys; the cluster stays.',
    input: z.strictObject({ KeyStoreId: z.string().min(1).max(64) }),
    result: z.object({ KeyStoreId: z.string() }),
    errors: ['NotFound.KeyStore', 'Forbidden.KeyStoreState', 'Forbidden.KeyStoreNotEmpty'],
    mutates: true,
  }),
};
