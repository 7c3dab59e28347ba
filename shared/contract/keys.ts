import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { keySpecSchema, keyStateSchema, keyUsageSchema, originSchema, protectionLevelSchema } from './enums';
import { aliasNameSchema, keyIdentifierSchema, pageNumberSchema, pageSizeSchema } from './primitives';
import { keyStoreIdSchema } from './keystores';
import { XKS_CALL_ERRORS, xksKeyIdSchema } from './external-key-stores';

/** The shape of seed 003 / API.md. Dates are ISO-8601 UTC; absent dates are empty strings, as in the cloud API. */
export const keyMetadataSchema = z.object({
  CreationDate: z.string(),
  Description: z.string(),
  KeyId: z.string(),
  KeyState: keyStateSchema,
  KeyUsage: keyUsageSchema,
  KeySpec: keySpecSchema,
  DeleteDate: z.string(),
  Creator: z.string(),
  Arn: z.string(),
  Origin: originSchema,
  MaterialExpireTime: z.string(),
  ProtectionLevel: protectionLevelSchema,
  KeyStoreId: z.string(),
  PrimaryKeyVersion: z.string(),
  AutomaticRotation: z.enum(['Enabled', 'Disabled', 'Suspended']),
  RotationInterval: z.string(),
  NextRotationDate: z.string(),
  LastRotationDate: z.string(),
  /** Origin EXTERNAL_KEY_STORE: the key's id at the XKS proxy (AWS KMS XksKeyConfiguration). */
  XksKeyConfiguration: z.object({ Id: z.string() }).optional(),
});
export type KeyMetadata = z.infer<typeof keyMetadataSchema>;

export const keyListEntrySchema = z.object({
  KeyId: z.string(),
  KeyArn: z.string(),
  KeySpec: keySpecSchema,
  KeyUsage: keyUsageSchema,
  KeyState: keyStateSchema,
  ProtectionLevel: protectionLevelSchema,
  KeyStoreId: z.string(),
  Description: z.string(),
  CreationDate: z.string(),
  Aliases: z.array(z.string()),
});
export type KeyListEntry = z.infer<typeof keyListEntrySchema>;

/** Rotation interval such as `30d`, `720h` or `2592000s`, 7 to 730 days. */
export const rotationIntervalSchema = z.string().regex(/^[1-9][0-9]{0,7}[dhs]$/, 'must look like 30d, 720h or 2592000s');

/**
 * ListKeys filters. Values of one filter are alternatives, different filters all apply. `Text`
 * matches a substring of the key id, description or an alias name; `Tag` is `TagKey` (has the tag)
 * or `TagKey=TagValue`.
 */
export const listKeysFilterSchema = z.strictObject({
  Key: z.enum(['KeyState', 'KeySpec', 'KeyUsage', 'ProtectionLevel', 'KeyStoreId', 'Origin', 'Text', 'Tag']),
  Values: z.array(z.string().min(1).max(256)).min(1).max(10),
});
export type ListKeysFilter = z.input<typeof listKeysFilterSchema>;

export const keyOperations = {
  CreateKey: defineOperation({
    summary: 'Create a customer master key (CMK) in a key store.',
    input: z.strictObject({
      KeySpec: keySpecSchema.default('Aliyun_AES_256'),
      KeyUsage: keyUsageSchema.optional(),
      Origin: originSchema.default('Aliyun_KMS'),
      ProtectionLevel: protectionLevelSchema.optional(),
      Description: z.string().max(8192).default(''),
      KeyStoreId: keyStoreIdSchema.optional(),
      EnableAutomaticRotation: z.boolean().default(false),
      RotationInterval: rotationIntervalSchema.optional(),
      /** Created with the key, in the same transaction: a taken name refuses the whole CreateKey. */
      Alias: aliasNameSchema.optional(),
      /**
       * Required (`true`) with `Origin: EXTERNAL`: the officer confirms that only their copy of the
       * material exists, and that the key is unusable whenever it expires or is deleted.
       */
      AcknowledgeExternalKeyMaterial: z.boolean().optional(),
      /**
       * Required with `Origin: EXTERNAL_KEY_STORE` (and only then): the key at the store's XKS proxy,
       * which must report AES_256, ENCRYPT and DECRYPT, ENABLED.
       */
      XksKeyId: xksKeyIdSchema.optional(),
    }),
    result: z.object({ KeyMetadata: keyMetadataSchema }),
    errors: [
      ...TOKEN_SESSION_ERRORS,
      'AlreadyExists.Alias',
      'NotFound.KeyStore',
      'Forbidden.KeyStoreState',
      'Forbidden.KeyUsage',
      'UnsupportedOperation',
      'HsmError.DeviceError',
      'HsmError.MechanismInvalid',
      ...XKS_CALL_ERRORS,
    ],
    mutates: true,
  }),
  DescribeKey: defineOperation({
    summary: 'Metadata of a CMK, by key id, alias or ARN.',
    input: z.strictObject({ KeyId: keyIdentifierSchema }),
    result: z.object({ KeyMetadata: keyMetadataSchema }),
    errors: ['NotFound.Key', 'NotFound.Alias'],
    mutates: false,
  }),
  ListKeys: defineOperation({
    summary: 'Page through CMKs with optional filters.',
    input: z.strictObject({
      PageNumber: pageNumberSchema,
      PageSize: pageSizeSchema,
      Filters: z.array(listKeysFilterSchema).max(8).default([]),
    }),
    result: z.object({
      Keys: z.array(keyListEntrySchema),
      TotalCount: z.number(),
      PageNumber: z.number(),
      PageSize: z.number(),
    }),
    errors: [],
    mutates: false,
  }),
};
