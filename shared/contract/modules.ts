import { z } from 'zod';
import { defineOperation } from './define';

export const moduleSummarySchema = z.object({
  ModuleId: z.string(),
  Name: z.string(),
  Path: z.string(),
  Builtin: z.boolean(),
});

export const tokenInfoSchema = z.object({
  Label: z.string(),
  Serial: z.string(),
  Model: z.string(),
  Manufacturer: z.string(),
  Initialized: z.boolean(),
  UserPinInitialized: z.boolean(),
  LoginRequired: z.boolean(),
  UserPinLocked: z.boolean(),
  SoPinLocked: z.boolean(),
});

export const mechanismInfoSchema = z.object({
  Name: z.string(),
  Type: z.number(),
  MinKeySize: z.number(),
  MaxKeySize: z.number(),
  Flags: z.array(z.string()),
});

export const slotInfoSchema = z.object({
  SlotId: z.number(),
  Description: z.string(),
  TokenPresent: z.boolean(),
  Token: tokenInfoSchema.nullable(),
  Mechanisms: z.array(mechanismInfoSchema),
});

export const moduleDetailSchema = moduleSummarySchema.extend({
  LibraryInfo: z.object({
    Description: z.string(),
    Manufacturer: z.string(),
    CryptokiVersion: z.string(),
    LibraryVersion: z.string(),
  }),
  Slots: z.array(slotInfoSchema),
});

export const moduleOperations = {
  ListModules: defineOperation({
    summary: 'List registered PKCS#11 modules.',
    input: z.strictObject({}),
    result: z.object({ Modules: z.array(moduleSummarySchema) }),
    errors: [],
    mutates: false,
  }),
  DescribeModule: defineOperation({
    summary: 'Library info, slots, tokens and mechanisms of a PKCS#11 module.',
    input: z.strictObject({ ModuleId: z.string().min(1).max(64) }),
    result: z.object({ Module: moduleDetailSchema }),
    errors: ['NotFound.Module', 'HsmError.ModuleLoadFailed', 'HsmError.DeviceError'],
    mutates: false,
  }),
};
