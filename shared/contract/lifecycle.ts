import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { keyStateSchema } from './enums';
import { rotationIntervalSchema } from './keys';
import { aliasNameSchema, keyIdentifierSchema, pageNumberSchema, pageSizeSchema, secretNameSchema, userKeyNameSchema } from './primitives';

const keyNotFound = ['NotFound.Key', 'NotFound.Alias'] as const;
const keyStateResult = z.object({ KeyId: z.string(), KeyState: keyStateSchema, DeleteDate: z.string() });

export const keyVersionSchema = z.object({ KeyId: z.string(), KeyVersionId: z.string(), CreationDate: z.string() });
export const aliasSchema = z.object({ AliasName: z.string(), AliasArn: z.string(), KeyId: z.string() });
export const tagSchema = z.strictObject({
  TagKey: userKeyNameSchema(128).regex(/^(?!acs:|aliyun)/, 'must not start with acs: or aliyun'),
  TagValue: z.string().max(256),
});

/** Tags belong to a key (`KeyId`: id, alias or ARN) or a secret (`SecretName`): exactly one of them. */
const taggedResourceSchema = z.strictObject({
  KeyId: keyIdentifierSchema.optional(),
  SecretName: secretNameSchema.optional(),
});
const ONE_RESOURCE = 'give KeyId or SecretName, exactly one';
function namesOneResource(input: { KeyId?: string | undefined; SecretName?: string | undefined }): boolean {
  return (input.KeyId === undefined) !== (input.SecretName === undefined);
}
/** Names the resource the way it was addressed: the key id of a key, the name of a secret. */
const taggedResourceResult = z.object({ KeyId: z.string().optional(), SecretName: z.string().optional() });

export const lifecycleOperations = {
  EnableKey: defineOperation({
    summary: 'Enable a disabled key.',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: keyStateResult,
    errors: [...keyNotFound, 'Forbidden.KeyState'],
    mutates: true,
  }),
  DisableKey: defineOperation({
    summary: 'Disable a key; it can no longer be used until enabled.',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: keyStateResult,
    errors: [...keyNotFound, 'Forbidden.KeyState'],
    mutates: true,
  }),
  ScheduleKeyDeletion: defineOperation({
    summary: 'Schedule the destruction of a key after 7-366 days; it cannot be used meanwhile.',
    input: z.strictObject({ KeyId: keyIdentifierSchema, PendingWindowInDays: z.number().int().min(7).max(366) }),
    result: keyStateResult,
    errors: [...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyInUse'],
    mutates: true,
  }),
  CancelKeyDeletion: defineOperation({
    summary: 'Cancel a scheduled deletion; the key returns to Enabled (or PendingImport without material).',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: keyStateResult,
    errors: [...keyNotFound, 'Forbidden.KeyState'],
    mutates: true,
  }),
  CreateKeyVersion: defineOperation({
    summary: 'Generate new key material in the HSM and make it the primary version (symmetric keys with generated material).',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: z.object({ KeyVersion: keyVersionSchema }),
    errors: [...TOKEN_SESSION_ERRORS, ...keyNotFound, 'Forbidden.KeyState', 'Forbidden.KeyStoreState', 'UnsupportedOperation'],
    mutates: true,
  }),
  ListKeyVersions: defineOperation({
    summary: 'Versions of a key, newest first.',
    input: z.strictObject({ KeyId: keyIdentifierSchema, PageNumber: pageNumberSchema, PageSize: pageSizeSchema }),
    result: z.object({ KeyVersions: z.array(keyVersionSchema), TotalCount: z.number(), PageNumber: z.number(), PageSize: z.number() }),
    errors: [...keyNotFound],
    mutates: false,
  }),
  UpdateRotationPolicy: defineOperation({
    summary: 'Turn automatic rotation on or off and set its interval (symmetric keys).',
    input: z.strictObject({ KeyId: keyIdentifierSchema, EnableAutomaticRotation: z.boolean(), RotationInterval: rotationIntervalSchema.optional() }),
    result: z.object({
      KeyId: z.string(),
      AutomaticRotation: z.enum(['Enabled', 'Disabled', 'Suspended']),
      RotationInterval: z.string(),
      NextRotationDate: z.string(),
    }),
    errors: [...keyNotFound, 'Forbidden.KeyState'],
    mutates: true,
  }),
  CreateAlias: defineOperation({
    summary: 'Give a key an alias (alias/...).',
    input: z.strictObject({ AliasName: aliasNameSchema, KeyId: keyIdentifierSchema }),
    result: aliasSchema,
    errors: [...keyNotFound, 'AlreadyExists.Alias', 'Forbidden.KeyState'],
    mutates: true,
  }),
  UpdateAlias: defineOperation({
    summary: 'Point an alias at another key.',
    input: z.strictObject({ AliasName: aliasNameSchema, KeyId: keyIdentifierSchema }),
    result: aliasSchema,
    errors: [...keyNotFound, 'Forbidden.KeyState'],
    mutates: true,
  }),
  DeleteAlias: defineOperation({
    summary: 'Delete an alias; the key is unchanged.',
    input: z.strictObject({ AliasName: aliasNameSchema }),
    result: z.object({ AliasName: z.string() }),
    errors: ['NotFound.Alias'],
    mutates: true,
  }),
  ListAliases: defineOperation({
    summary: 'All aliases, by name.',
    input: z.strictObject({ PageNumber: pageNumberSchema, PageSize: pageSizeSchema }),
    result: z.object({ Aliases: z.array(aliasSchema), TotalCount: z.number(), PageNumber: z.number(), PageSize: z.number() }),
    errors: [],
    mutates: false,
  }),
  ListAliasesByKeyId: defineOperation({
    summary: 'Aliases of one key.',
    input: z.strictObject({ KeyId: keyIdentifierSchema, PageNumber: pageNumberSchema, PageSize: pageSizeSchema }),
    result: z.object({ Aliases: z.array(aliasSchema), TotalCount: z.number(), PageNumber: z.number(), PageSize: z.number() }),
    errors: [...keyNotFound],
    mutates: false,
  }),
  TagResource: defineOperation({
    summary: 'Add or overwrite tags of a key or a secret.',
    input: taggedResourceSchema.extend({ Tags: z.array(tagSchema).min(1).max(20) }).refine(namesOneResource, ONE_RESOURCE),
    result: taggedResourceResult,
    errors: [...keyNotFound, 'NotFound.Secret'],
    mutates: true,
  }),
  UntagResource: defineOperation({
    summary: 'Remove tags of a key or a secret by tag key.',
    input: taggedResourceSchema.extend({ TagKeys: z.array(userKeyNameSchema(128)).min(1).max(20) }).refine(namesOneResource, ONE_RESOURCE),
    result: taggedResourceResult,
    errors: [...keyNotFound, 'NotFound.Secret'],
    mutates: true,
  }),
  ListResourceTags: defineOperation({
    summary: 'Tags of a key or a secret.',
    input: taggedResourceSchema.refine(namesOneResource, ONE_RESOURCE),
    result: taggedResourceResult.extend({ Tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })) }),
    errors: [...keyNotFound, 'NotFound.Secret'],
    mutates: false,
  }),
};
