import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';

/**
 * Backup and recovery. The backup file itself never crosses the operation contract: the transport
 * delivers what CreateBackup made (Electron's save dialog, a one-time browser download, the CLI's
 * --output) and stages what the other operations read (open dialog, browser upload, --input),
 * naming it by a FileId the renderer cannot turn into a path.
 */

/** A backup password protects a file that may be copied anywhere: longer than a key store password. */
export const BACKUP_PASSWORD_MIN = 12;
export const BACKUP_PASSWORD_MAX = 128;
export const BACKUP_FILE_EXTENSION = '.kwbackup';
/** The header warns when the last backup is older than this (UpdateBackupPolicy changes it). */
export const DEFAULT_BACKUP_WARN_AFTER_DAYS = 7;

export const backupPasswordSchema = z
  .string()
  .min(BACKUP_PASSWORD_MIN, `must be ${BACKUP_PASSWORD_MIN}-${BACKUP_PASSWORD_MAX} characters`)
  .max(BACKUP_PASSWORD_MAX, `must be ${BACKUP_PASSWORD_MIN}-${BACKUP_PASSWORD_MAX} characters`);

/** A file staged by the transport (upload, open dialog, --input); only the transport makes these. */
export const fileIdSchema = z.string().regex(/^file-[A-Za-z0-9_-]{22,64}$/, 'a FileId given by an upload or --input');

export const backupIdSchema = z.string().regex(/^bkp-[0-9a-f-]{36}$/);

export const backupCountsSchema = z.object({
  KeyStores: z.number(),
  Keys: z.number(),
  KeyVersions: z.number(),
  Aliases: z.number(),
  Secrets: z.number(),
  SecretVersions: z.number(),
  Clusters: z.number(),
  /** Absent in files from before application access points (schema 10). */
  AccessPoints: z.number().optional(),
  ClientKeys: z.number().optional(),
  AuditRecords: z.number(),
});
export type BackupCounts = z.infer<typeof backupCountsSchema>;

/** What a backup says of itself, readable without the password (DescribeBackup) and signed with it. */
export const backupManifestSchema = z.object({
  FormatVersion: z.number().int().min(1),
  BackupId: backupIdSchema,
  CreatedAt: z.string(),
  Description: z.string(),
  /** Registry schema version of the snapshot: a newer one than this build knows cannot be restored. */
  SchemaVersion: z.number().int().min(1),
  IncludesDefaultKeyStore: z.boolean(),
  Counts: backupCountsSchema,
  KeyStoreIds: z.array(z.string()),
  AuditHead: z.object({ Sequence: z.number(), Hash: z.string() }),
  /** Files in the encrypted payload, with their sizes. */
  Files: z.array(z.object({ Name: z.string(), Size: z.number() })),
  /** How the key was derived from the password: recorded so that a later Keyward can open it. */
  Kdf: z.object({ Algorithm: z.literal('scrypt'), N: z.number(), R: z.number(), P: z.number() }),
  Cipher: z.literal('AES-256-GCM'),
  /** HMAC-SHA256 under a key derived from the password, until the audit signing key exists. */
  Signature: z.literal('HMAC-SHA256'),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

export const backupRecordSchema = z.object({
  BackupId: z.string(),
  CreatedAt: z.string(),
  Description: z.string(),
  IncludesDefaultKeyStore: z.boolean(),
  SizeBytes: z.number(),
});

export const restoredKeyStoreSchema = z.object({
  KeyStoreId: z.string(),
  KeyStoreName: z.string(),
  KeyStoreType: z.string(),
  Keys: z.number(),
  /** What restores this store's keys: the restored token (default store) or the HSMs themselves. */
  Material: z.enum(['RESTORED_TOKEN', 'NOT_IN_BACKUP', 'IN_HSM_CLUSTER']),
});

export const materialProblemSchema = z.object({
  KeyId: z.string(),
  KeyVersionId: z.string(),
  Problem: z.enum(['MISSING', 'FAILED_ROUND_TRIP']),
  Message: z.string(),
});

/** What reading a backup file can answer, before any restore-specific refusal. */
const READ_ERRORS = ['NotFound.File', 'InvalidBackup.NotABackup', 'InvalidBackup.Truncated', 'InvalidBackup.Corrupted', 'InvalidBackup.NewerSchema'] as const;
const OPEN_ERRORS = [...READ_ERRORS, 'IncorrectBackupPassword'] as const;

export const backupOperations = {
  CreateBackup: defineOperation({
    summary: 'Write an encrypted, signed backup of the registry and the default key store (delivered by the transport: save dialog, download or --output).',
    input: z.strictObject({
      Password: backupPasswordSchema,
      IncludeDefaultKeyStore: z.boolean().default(true),
      Description: z.string().max(256).default(''),
    }),
    result: z.object({
      BackupId: z.string(),
      /** Suggested name of the file (the transport delivers it). */
      FileName: z.string(),
      SizeBytes: z.number(),
      Manifest: backupManifestSchema,
    }),
    errors: ['Forbidden.BackupInProgress'],
    mutates: true,
    secretFields: ['Password'],
    file: 'produces',
  }),
  DescribeBackup: defineOperation({
    summary: 'Read a backup file’s manifest without the password (not yet verified).',
    input: z.strictObject({ FileId: fileIdSchema }),
    result: z.object({ Manifest: backupManifestSchema, Verified: z.literal(false), SizeBytes: z.number() }),
    errors: READ_ERRORS,
    mutates: false,
    file: 'consumes',
  }),
  VerifyBackup: defineOperation({
    summary: 'Check a backup file’s signature and every byte of its contents without restoring it.',
    input: z.strictObject({ FileId: fileIdSchema, Password: backupPasswordSchema }),
    result: z.object({ Manifest: backupManifestSchema, Verified: z.literal(true), SizeBytes: z.number() }),
    errors: OPEN_ERRORS,
    mutates: false,
    file: 'consumes',
    secretFields: ['Password'],
  }),
  RestoreBackup: defineOperation({
    summary: 'Restore a backup into this empty data directory; the audit chain continues with a RestoreBackup record.',
    input: z.strictObject({ FileId: fileIdSchema, Password: backupPasswordSchema }),
    result: z.object({ Manifest: backupManifestSchema, KeyStores: z.array(restoredKeyStoreSchema) }),
    errors: [...OPEN_ERRORS, 'Forbidden.DataDirNotEmpty', 'Forbidden.BackupInProgress'],
    mutates: true,
    file: 'consumes',
    secretFields: ['Password'],
  }),
  DescribeBackupStatus: defineOperation({
    summary: 'When the last backup was made, whether it is overdue, and whether this data directory came from a restore.',
    input: z.strictObject({}),
    result: z.object({
      LastBackup: backupRecordSchema.nullable(),
      WarnAfterDays: z.number(),
      /** True when there was never a backup or the last one is older than WarnAfterDays. */
      Overdue: z.boolean(),
      RestoredFrom: z.object({ BackupId: z.string(), BackupCreatedAt: z.string(), RestoredAt: z.string() }).nullable(),
      /** Key stores whose material has not been checked since the restore (VerifyKeyStoreMaterial). */
      UncheckedKeyStoreIds: z.array(z.string()),
    }),
    errors: [],
    mutates: false,
  }),
  UpdateBackupPolicy: defineOperation({
    summary: 'Set after how many days without a backup the console warns.',
    input: z.strictObject({ WarnAfterDays: z.number().int().min(1).max(365) }),
    result: z.object({ WarnAfterDays: z.number() }),
    errors: [],
    mutates: true,
  }),
  VerifyKeyStoreMaterial: defineOperation({
    summary: 'Check that every key version of a connected key store works in its HSM (a round trip each), e.g. after a restore.',
    input: z.strictObject({ KeyStoreId: z.string().min(1).max(64) }),
    result: z.object({
      KeyStoreId: z.string(),
      Checked: z.number(),
      Passed: z.number(),
      Problems: z.array(materialProblemSchema),
    }),
    errors: [...TOKEN_SESSION_ERRORS, 'NotFound.KeyStore', 'Forbidden.KeyStoreState'],
    mutates: true,
  }),
} as const;
