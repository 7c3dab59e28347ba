import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { tagSchema } from './lifecycle';
import { keyIdentifierSchema, pageNumberSchema, pageSizeSchema, secretNameSchema } from './primitives';

/** Largest secret value, in bytes (text as UTF-8, binary after base64 decoding), as in Secrets Manager. */
export const MAX_SECRET_BYTES = 30_720;
/** Distinct stages one secret may carry, ACSCurrent and ACSPrevious included. */
export const MAX_SECRET_STAGES = 8;
/** Versions without a stage kept per secret (the newest); older ones are destroyed. */
export const MAX_UNSTAGED_SECRET_VERSIONS = 10;
/** Aliases Keyward keeps for its own keys (as AWS keeps alias/aws/): users cannot create, move or delete them. */
export const RESERVED_ALIAS_PREFIX = 'alias/keyward/';
/** The CMK CreateSecret uses without EncryptionKeyId: AES-256, made on first need in the default key store. */
export const DEFAULT_SECRETS_KEY_ALIAS = 'alias/keyward/secrets-default';
export const CURRENT_STAGE = 'ACSCurrent';
export const PREVIOUS_STAGE = 'ACSPrevious';

export const secretVersionIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -');
export const versionStageSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -');
export const secretDataTypeSchema = z.enum(['text', 'binary']);
export type SecretDataType = z.infer<typeof secretDataTypeSchema>;
export const secretStateSchema = z.enum(['Enabled', 'PendingDeletion']);
export type SecretState = z.infer<typeof secretStateSchema>;

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes a secret value takes once decoded; null when `binary` data is not canonical base64. */
export function secretDataBytes(data: string, type: SecretDataType): number | null {
  if (type === 'text') return new TextEncoder().encode(data).length;
  if (!BASE64_PATTERN.test(data)) return null;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

/** Checks SecretData against SecretDataType; never quotes the value (it is a secret). */
function checkSecretData(input: { SecretData: string; SecretDataType?: SecretDataType | undefined }, context: z.RefinementCtx): void {
  const bytes = secretDataBytes(input.SecretData, input.SecretDataType ?? 'text');
  if (bytes === null) context.addIssue({ code: 'custom', path: ['SecretData'], message: 'must be canonical base64 when SecretDataType is binary' });
  else if (bytes < 1 || bytes > MAX_SECRET_BYTES) {
    context.addIssue({ code: 'custom', path: ['SecretData'], message: `must be 1-${MAX_SECRET_BYTES} bytes` });
  }
}

/** The raw length cap (base64 of the largest binary value) runs before any refinement, so a huge value is refused unscanned. */
const secretDataSchema = z.string().min(1).max(Math.ceil(MAX_SECRET_BYTES / 3) * 4);

const stageEntrySchema = z.object({ VersionId: z.string(), VersionStages: z.array(z.string()), CreateTime: z.string() });
export type SecretVersionEntry = z.infer<typeof stageEntrySchema>;

const resourceTagSchema = z.object({ TagKey: z.string(), TagValue: z.string() });

/** A secret as DescribeSecret and ListSecrets show it: metadata only, never a value. */
export const secretMetadataSchema = z.object({
  Arn: z.string(),
  SecretName: z.string(),
  Description: z.string(),
  /** The key id of the CMK that wraps the secret's data keys. */
  EncryptionKeyId: z.string(),
  SecretState: secretStateSchema,
  CreateTime: z.string(),
  /** Last change of value, stages, description or CMK. */
  UpdateTime: z.string(),
  /** When a pending deletion becomes final; empty otherwise. */
  PlannedDeleteTime: z.string(),
  CurrentVersionId: z.string(),
  Tags: z.array(resourceTagSchema),
});
export type SecretMetadata = z.infer<typeof secretMetadataSchema>;

/**
 * ListSecrets filters. Values of one filter are alternatives, different filters all apply. `Tag`
 * is `TagKey` (has the tag) or `TagKey=TagValue`.
 */
export const listSecretsFilterSchema = z.strictObject({
  Key: z.enum(['NamePrefix', 'Tag', 'SecretState']),
  Values: z.array(z.string().min(1).max(256)).min(1).max(10),
});
export type ListSecretsFilter = z.input<typeof listSecretsFilterSchema>;

const secretNotFound = ['NotFound.Secret'] as const;
/** What a secret's CMK can refuse; UnsupportedOperation: its store has only p11-kit members, which carry no AES-GCM. */
const keyErrors = ['NotFound.Key', 'NotFound.Alias', 'Forbidden.KeyState', 'Forbidden.KeyUsage', 'Forbidden.KeyStoreState', 'UnsupportedOperation'] as const;

export const secretOperations = {
  CreateSecret: defineOperation({
    summary: 'Store a secret, envelope-encrypted under a CMK; its first version gets ACSCurrent.',
    input: z
      .strictObject({
        SecretName: secretNameSchema,
        SecretData: secretDataSchema,
        SecretDataType: secretDataTypeSchema.default('text'),
        /** Without it: alias/keyward/secrets-default, made on first need in the default key store. */
        EncryptionKeyId: keyIdentifierSchema.optional(),
        VersionId: secretVersionIdSchema,
        Description: z.string().max(1024).default(''),
        Tags: z.array(tagSchema).max(20).default([]),
      })
      .superRefine(checkSecretData),
    result: z.object({ Arn: z.string(), SecretName: z.string(), VersionId: z.string() }),
    errors: [...TOKEN_SESSION_ERRORS, 'AlreadyExists.Secret', ...keyErrors, 'NotFound.KeyStore', 'HsmError.DeviceError'],
    mutates: true,
    secretFields: ['SecretData'],
  }),
  GetSecretValue: defineOperation({
    summary: 'The value of one version (ACSCurrent unless VersionId or VersionStage names another).',
    input: z
      .strictObject({ SecretName: secretNameSchema, VersionId: secretVersionIdSchema.optional(), VersionStage: versionStageSchema.optional() })
      .refine((input) => !(input.VersionId && input.VersionStage), 'give VersionId or VersionStage, not both'),
    result: z.object({
      SecretName: z.string(),
      VersionId: z.string(),
      VersionStages: z.array(z.string()),
      SecretData: z.string(),
      SecretDataType: secretDataTypeSchema,
      CreateTime: z.string(),
    }),
    errors: [...TOKEN_SESSION_ERRORS, ...secretNotFound, 'NotFound.SecretVersion', 'Forbidden.SecretState', ...keyErrors, 'InvalidCiphertext'],
    mutates: false,
  }),
  PutSecretValue: defineOperation({
    summary: 'Store a new version; ACSCurrent moves to it and ACSPrevious to the version it left.',
    input: z
      .strictObject({
        SecretName: secretNameSchema,
        VersionId: secretVersionIdSchema,
        SecretData: secretDataSchema,
        SecretDataType: secretDataTypeSchema.default('text'),
        VersionStages: z.array(versionStageSchema).min(1).max(8).default(['ACSCurrent']),
        /** Check-and-set: refused with Conflict.SecretVersion unless ACSCurrent is on this version. */
        ExpectedCurrentVersionId: secretVersionIdSchema.optional(),
      })
      .superRefine(checkSecretData),
    result: z.object({ SecretName: z.string(), VersionId: z.string(), VersionStages: z.array(z.string()) }),
    errors: [
      ...TOKEN_SESSION_ERRORS,
      ...secretNotFound,
      'AlreadyExists.SecretVersion',
      'Conflict.SecretVersion',
      'Forbidden.SecretState',
      'LimitExceeded.SecretVersionStage',
      ...keyErrors,
      // A retry of a VersionId opens the stored version to compare it.
      'InvalidCiphertext',
    ],
    mutates: true,
    secretFields: ['SecretData'],
  }),
  UpdateSecretVersionStage: defineOperation({
    summary: 'Move a stage between versions, attach it, or detach a custom stage.',
    input: z
      .strictObject({
        SecretName: secretNameSchema,
        VersionStage: versionStageSchema,
        RemoveFromVersion: secretVersionIdSchema.optional(),
        MoveToVersion: secretVersionIdSchema.optional(),
      })
      .refine((input) => input.RemoveFromVersion !== undefined || input.MoveToVersion !== undefined, 'give RemoveFromVersion, MoveToVersion or both'),
    result: z.object({ SecretName: z.string(), VersionStage: z.string(), VersionId: z.string() }),
    errors: [...secretNotFound, 'NotFound.SecretVersion', 'Conflict.SecretVersion', 'Forbidden.SecretState', 'LimitExceeded.SecretVersionStage'],
    mutates: true,
  }),
  ListSecrets: defineOperation({
    summary: 'Page through secrets (metadata only) with optional filters.',
    input: z.strictObject({
      PageNumber: pageNumberSchema,
      PageSize: pageSizeSchema,
      Filters: z.array(listSecretsFilterSchema).max(8).default([]),
    }),
    result: z.object({ SecretList: z.array(secretMetadataSchema), TotalCount: z.number(), PageNumber: z.number(), PageSize: z.number() }),
    errors: [],
    mutates: false,
  }),
  DescribeSecret: defineOperation({
    summary: 'Metadata of one secret with its versions and stages.',
    input: z.strictObject({ SecretName: secretNameSchema }),
    result: secretMetadataSchema.extend({ VersionIdsToStages: z.array(stageEntrySchema) }),
    errors: [...secretNotFound],
    mutates: false,
  }),
  ListSecretVersionIds: defineOperation({
    summary: 'Versions of a secret, newest first; versions without a stage only with IncludeDeprecated.',
    input: z.strictObject({
      SecretName: secretNameSchema,
      IncludeDeprecated: z.boolean().default(false),
      PageNumber: pageNumberSchema,
      PageSize: pageSizeSchema,
    }),
    result: z.object({
      SecretName: z.string(),
      VersionIds: z.array(stageEntrySchema),
      TotalCount: z.number(),
      PageNumber: z.number(),
      PageSize: z.number(),
    }),
    errors: [...secretNotFound],
    mutates: false,
  }),
  UpdateSecret: defineOperation({
    summary: "Change a secret's description or CMK; a new CMK re-wraps every version's data key inside the HSM.",
    input: z
      .strictObject({ SecretName: secretNameSchema, Description: z.string().max(1024).optional(), EncryptionKeyId: keyIdentifierSchema.optional() })
      .refine((input) => input.Description !== undefined || input.EncryptionKeyId !== undefined, 'give Description, EncryptionKeyId or both'),
    result: z.object({ Arn: z.string(), SecretName: z.string(), EncryptionKeyId: z.string() }),
    errors: [...TOKEN_SESSION_ERRORS, ...secretNotFound, 'Forbidden.SecretState', ...keyErrors, 'InvalidCiphertext', 'Conflict.SecretVersion'],
    mutates: true,
  }),
  DeleteSecret: defineOperation({
    summary: 'Schedule a secret for deletion after a recovery window, or delete it at once.',
    input: z
      .strictObject({
        SecretName: secretNameSchema,
        RecoveryWindowInDays: z.number().int().min(7).max(30).optional(),
        ForceDeleteWithoutRecovery: z.boolean().default(false),
      })
      .refine((input) => !(input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined), 'give RecoveryWindowInDays or ForceDeleteWithoutRecovery, not both'),
    result: z.object({ Arn: z.string(), SecretName: z.string(), PlannedDeleteTime: z.string() }),
    errors: [...secretNotFound, 'Forbidden.SecretState'],
    mutates: true,
  }),
  RestoreSecret: defineOperation({
    summary: 'Cancel the scheduled deletion of a secret inside its recovery window.',
    input: z.strictObject({ SecretName: secretNameSchema }),
    result: z.object({ Arn: z.string(), SecretName: z.string() }),
    errors: [...secretNotFound, 'Forbidden.SecretState'],
    mutates: true,
  }),
  GetRandomPassword: defineOperation({
    summary: "A random password from the HSM's generator.",
    input: z
      .strictObject({
        PasswordLength: z.number().int().min(8).max(128).default(32),
        ExcludeCharacters: z.string().max(128).optional(),
        ExcludeLowercase: z.boolean().default(false),
        ExcludeUppercase: z.boolean().default(false),
        ExcludeNumbers: z.boolean().default(false),
        ExcludePunctuation: z.boolean().default(false),
        RequireEachIncludedType: z.boolean().default(true),
      })
      .refine((input) => !(input.ExcludeLowercase && input.ExcludeUppercase && input.ExcludeNumbers && input.ExcludePunctuation), 'every character type is excluded'),
    result: z.object({ RandomPassword: z.string() }),
    errors: [...TOKEN_SESSION_ERRORS, 'Forbidden.KeyStoreState', 'HsmError.DeviceError'],
    mutates: false,
  }),
};
