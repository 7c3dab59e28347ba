import { z } from 'zod';
import { defineOperation } from './define';
import { connectionErrorCodeSchema, connectionStateSchema, keyStoreTypeSchema, protectionLevelSchema } from './enums';
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
});

export const keyStoreIdSchema = z.string().min(1).max(64);

export const keyStoreOperations = {
  DescribeKeyStores: defineOperation({
    summary: 'List key stores with their connection state.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema.optional() }),
    result: z.object({ KeyStores: z.array(keyStoreSchema) }),
    errors: ['NotFound.KeyStore'],
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
    summary: 'Log in to the key store HSMs with its password.',
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
      'HsmError.DeviceError',
      'NotFound.Cluster',
      'NotFound.CryptoUser',
      'Forbidden.ClusterState',
      'InsufficientHsms',
      'TrustAnchorMismatch',
    ],
    mutates: true,
    secretFields: ['KeyStorePassword'],
  }),
  DisconnectKeyStore: defineOperation({
    summary: 'Log out of the key store HSMs; keys stay but cannot be used.',
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema }),
    result: z.object({ KeyStoreId: z.string(), ConnectionState: connectionStateSchema }),
    errors: ['NotFound.KeyStore'],
    mutates: true,
  }),
};
