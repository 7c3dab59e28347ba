import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { keyStoreIdSchema } from './keystores';

/**
 * REPORT changes nothing. REMOVE_ORPHAN_OBJECTS destroys the orphan objects it finds (and reports
 * what it did). There is deliberately no "adopt": an orphan object is material whose CreateKey,
 * CreateKeyVersion or GetParametersForImport never committed, so nobody was ever given its key id
 * and its spec, usage and owner were never recorded; turning it into a key would invent one.
 * A version missing on some cluster members is completed by SyncCluster (it copies the version
 * from a member that holds it); a version missing everywhere cannot be recovered.
 */
export const reconcileActionSchema = z.enum(['REPORT', 'REMOVE_ORPHAN_OBJECTS']);
export type ReconcileAction = z.infer<typeof reconcileActionSchema>;

/** Report lists are bounded; the Summary counts everything. */
export const MAX_RECONCILE_ENTRIES = 1000;

export const reconcileTokenSchema = z.object({
  /** Cluster member (null for a single-token key store). */
  HsmId: z.string().nullable(),
  TokenSerial: z.string().nullable(),
  /** Listed and compared; a member that is not logged in (down, not reconnected) is not checked. */
  Checked: z.boolean(),
  /** Every object the token shows kmsuser / the key store user. */
  Objects: z.number(),
  /** Objects of registered key versions and live import tokens. */
  RegisteredObjects: z.number(),
  /** Cluster infrastructure: owner key, domain key, transport keys. Never touched. */
  InfrastructureObjects: z.number(),
  /** Objects that do not follow Keyward's CKA_ID/label scheme (someone else's). Never touched. */
  ForeignObjects: z.number(),
  OrphanObjects: z.number(),
  Note: z.string().nullable(),
});

export const orphanObjectSchema = z.object({
  HsmId: z.string().nullable(),
  TokenSerial: z.string(),
  /** CKA_ID (hex); a key version's objects use the 16 bytes of its version UUID. */
  ObjectId: z.string(),
  Label: z.string(),
  ObjectClasses: z.array(z.string()),
  /** KEY_VERSION: CMK material; IMPORT_WRAPPING_KEY: an RSA pair of GetParametersForImport. */
  Kind: z.enum(['KEY_VERSION', 'IMPORT_WRAPPING_KEY']),
  Reason: z.string(),
  /** Destroyed by this call (REMOVE_ORPHAN_OBJECTS). */
  Removed: z.boolean(),
});

export const missingMaterialSchema = z.object({
  KeyId: z.string(),
  KeyVersionId: z.string(),
  KeyState: z.string(),
  /** Checked tokens that lack the version's objects. */
  MissingOn: z.array(z.object({ HsmId: z.string().nullable(), TokenSerial: z.string() })),
  /** Checked tokens that hold it. */
  PresentOn: z.number(),
  /** What an officer can do about it. */
  Remedy: z.string(),
});

export const reconcileOperations = {
  ReconcileKeyStore: defineOperation({
    summary:
      "Compare a connected key store's HSM objects (every connected member of a cluster store) with the registry: objects without a registry row (orphans, e.g. left by a crash between key generation and the registry commit) and key versions without HSM objects. Action REMOVE_ORPHAN_OBJECTS destroys the orphans; only objects following Keyward's CKA_ID/label scheme are candidates, never cluster infrastructure or live import keys.",
    input: z.strictObject({ KeyStoreId: keyStoreIdSchema, Action: reconcileActionSchema.default('REPORT') }),
    result: z.object({
      KeyStoreId: z.string(),
      Action: reconcileActionSchema,
      Tokens: z.array(reconcileTokenSchema),
      OrphanObjects: z.array(orphanObjectSchema),
      MissingMaterial: z.array(missingMaterialSchema),
      Summary: z.object({
        TokensChecked: z.number(),
        TokensNotChecked: z.number(),
        KeyVersionsChecked: z.number(),
        OrphanObjects: z.number(),
        RemovedObjects: z.number(),
        /** Versions missing on some checked tokens but held by another: SyncCluster completes them. */
        IncompleteVersions: z.number(),
        /** Versions no checked token holds. */
        LostVersions: z.number(),
        /** The lists above stop at MAX_RECONCILE_ENTRIES entries. */
        Truncated: z.boolean(),
      }),
    }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.KeyStore', 'Forbidden.KeyStoreState', 'HsmError.DeviceError', 'HsmError.WorkerCrashed'],
    mutates: true,
  }),
};
