import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { connectionErrorCodeSchema, connectionStateSchema, keySpecSchema, keyStoreTypeSchema, protectionLevelSchema } from './enums';
import { XKS_CALL_ERRORS, xksProxyConfigurationSchema, xksProxyHealthSchema } from './external-key-stores';
import { wrappingAlgorithmSchema } from './key-import';
import { passwordSchema } from './primitives';

export const keyStoreSchema = z.object({
  KeyStoreId: z.string(),
  KeyStoreName: z.string(),
  KeyStoreType: keyStoreTypeSchema,
  ProtectionLevel: protectionLevelSchema,
  ConnectionState: connectionStateSchema,
  ConnectionErrorCode: connectionErrorCodeSchema.nullable(),
  /** False until the officer has set the password of the default key store. */
  Initialized: z.boolean(),
  ClusterId: z.string().nullable(),
  CreationDate: z.string(),
  KeyCount: z.number(),
  /** Consecutive failed logins with this store's credentials (a cluster store: its cluster's kmsuser and SO PIN). */
  FailedLogins: z.number(),
  /** Failures after which the store locks until UnlockKeyStore; 0 never locks (always 0 for the default store). */
  MaxFailedLogins: z.number(),
  /** Locked after MaxFailedLogins failures: logins are refused (HsmError.PinLocked) without trying the password. */
  LockedOut: z.boolean(),
  /** CreateKey with ProtectionLevel HSM and no KeyStoreId uses this store (UpdateKeyStore DefaultForHsmKeys). */
  DefaultForHsmKeys: z.boolean(),
  /** External key stores: the proxy and the credential's access key id (never its secret). */
  XksProxyConfiguration: xksProxyConfigurationSchema.optional(),
  /** External key stores: what this process's last call to the proxy found. */
  XksProxyHealth: xksProxyHealthSchema.nullable().optional(),
});
export type KeyStore = z.infer<typeof keyStoreSchema>;

export const keyStoreIdSchema = z.string().min(1).max(64);

export const keyStoreOperations = {
  DescribeKeyStores: defineOperation({
    summary: 'List key stores with their connection state.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema.optional() }),
    result: z.object({ KeyStores: z.array(keyStoreSchema) }),
    errors: ['NotFound.KeyStore'],
    mutates: false,
  }),
  DescribeKeyStoreCapabilities: defineOperation({
    summary:
      "What a connected key store's HSMs can do, read from the mechanisms each lists: the key specs CreateKey can make there (EC_ED25519 only where every HSM has CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA) and the import WrappingAlgorithms every HSM runs.",
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema }),
    result: z.object({ KeyStoreId: z.string(), KeySpecs: z.array(keySpecSchema), WrappingAlgorithms: z.array(wrappingAlgorithmSchema) }),
    errors: ['NotFound.KeyStore', 'Forbidden.KeyStoreState', 'HsmError.DeviceError'],
    mutates: false,
  }),
  InitializeDefaultKeyStore: defineOperation({
    summary: 'First run: create the embedded SoftHSM2 token of the default key store with the officer password as its user PIN.',
    input: z.strictObject({ KeyStorePassword: passwordSchema }),
    result: z.object({ KeyStoreId: z.string(), ConnectionState: connectionStateSchema }),
    errors: ['AlreadyExists.KeyStore', 'HsmError.ModuleLoadFailed', 'HsmError.DeviceError'],
    mutates: true,
    secretFields: ['KeyStorePassword'],
  }),
  ConnectKeyStore: defineOperation({
    summary:
      'Log in to the key store HSMs with its password (an external key store takes none: its XKS proxy is probed with GetHealthStatus, and the store is FAILED with an XKS_PROXY_* code when the probe fails). Refused while CONNECTED (disconnect first). After 3 consecutive failed logins each attempt waits out a window doubling from 1 s to 5 min (Throttling.LoginBackoff, the password is not tried); a locked store answers HsmError.PinLocked.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema, KeyStorePassword: z.string().min(1).max(64).optional() }),
    result: z.object({
      KeyStoreId: z.string(),
      ConnectionState: connectionStateSchema,
      ConnectionErrorCode: connectionErrorCodeSchema.nullable(),
    }),
    errors: [
      'NotFound.KeyStore',
      'Forbidden.KeyStoreState',
      'HsmError.PinIncorrect',
      'HsmError.PinLocked',
      'Throttling.LoginBackoff',
      'HsmError.DeviceError',
      'NotFound.Cluster',
      'NotFound.CryptoUser',
      'Forbidden.ClusterState',
      'InsufficientHsms',
      'TrustAnchorMismatch',
      ...XKS_CALL_ERRORS,
      ...TOKEN_SESSION_ERRORS,
    ],
    mutates: true,
    secretFields: ['KeyStorePassword'],
  }),
  UpdateKeyStoreLoginPolicy: defineOperation({
    summary:
      'Set after how many consecutive failed logins a cluster key store locks until UnlockKeyStore (0 = never; default 10). The default key store cannot lock: its SO PIN was random and forgotten at initialization, so nobody could clear a lockout.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema, MaxFailedLogins: z.number().int().min(0).max(100) }),
    result: z.object({ KeyStoreId: z.string(), MaxFailedLogins: z.number() }),
    errors: ['NotFound.KeyStore', 'UnsupportedOperation'],
    mutates: true,
  }),
  UnlockKeyStore: defineOperation({
    summary:
      "Clear a cluster key store's failed logins and lockout with the cluster's SO PIN (checked by an SO login on a member; a wrong one counts as a failed login). Not for the default key store, which has no SO PIN.",
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema, SoPin: z.string().min(1).max(64) }),
    result: z.object({ KeyStoreId: z.string(), FailedLogins: z.number(), LockedOut: z.boolean() }),
    errors: ['NotFound.KeyStore', 'UnsupportedOperation', 'HsmError.PinIncorrect', 'Throttling.LoginBackoff', 'HsmError.DeviceError', 'Forbidden.ClusterState'],
    mutates: true,
    secretFields: ['SoPin'],
  }),
  DisconnectKeyStore: defineOperation({
    summary: 'Log out of the key store HSMs; keys stay but cannot be used.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema }),
    result: z.object({ KeyStoreId: z.string(), ConnectionState: connectionStateSchema }),
    errors: ['NotFound.KeyStore'],
    mutates: true,
  }),
};
