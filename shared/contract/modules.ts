import { z } from 'zod';
import { defineOperation } from './define';
import { MAX_ENVIRONMENT_VALUE_LENGTH, moduleEnvironmentProblem } from './module-environment';

/**
 * Variables set in the module's worker process before the library loads (one worker per distinct
 * environment): only those of module-environment.ts, with checked values.
 */
export const moduleEnvironmentSchema = z
  .record(z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an environment variable name'), z.string().max(MAX_ENVIRONMENT_VALUE_LENGTH))
  .superRefine((env, context) => {
    const problem = moduleEnvironmentProblem(env);
    if (problem) context.addIssue({ code: 'custom', message: problem.message, path: [problem.name] });
  });

export const moduleSummarySchema = z.object({
  ModuleId: z.string(),
  Name: z.string(),
  Path: z.string(),
  Builtin: z.boolean(),
  /** What the worker of this module is started with besides Keyward's fixed base environment. */
  Environment: z.record(z.string(), z.string()),
});
export type ModuleSummary = z.infer<typeof moduleSummarySchema>;

/** A PKCS#11 library found in the usual Debian paths and not registered yet. */
export const moduleSuggestionSchema = z.object({
  Path: z.string(),
  Name: z.string(),
  /** Network client libraries need P11_KIT_SERVER_ADDRESS in their Environment. */
  NetworkClient: z.boolean(),
});
export type ModuleSuggestion = z.infer<typeof moduleSuggestionSchema>;

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
export type ModuleDetail = z.infer<typeof moduleDetailSchema>;

export const moduleOperations = {
  ListModules: defineOperation({
    summary: 'List registered PKCS#11 modules.',
    input: z.strictObject({}),
    result: z.object({ Modules: z.array(moduleSummarySchema), Suggestions: z.array(moduleSuggestionSchema) }),
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
  RegisterModule: defineOperation({
    summary:
      'Register a PKCS#11 library (loaded once to check it) with the environment it needs (SOFTHSM2_CONF, P11_KIT_SERVER_ADDRESS, YUBIHSM_PKCS11_CONF). ' +
      'A library outside the root-owned system library directories needs the officer: the kms command line, <data dir>/trusted-modules or, in the app, a confirmation.',
    input: z.strictObject({
      Path: z.string().min(2).max(4096).regex(/^\/[^\0]*$/, 'must be an absolute path'),
      Name: z.string().min(1).max(64),
      Environment: moduleEnvironmentSchema.default({}),
    }),
    result: z.object({ ModuleId: z.string() }),
    errors: ['AlreadyExists.Module', 'HsmError.ModuleLoadFailed', 'Forbidden.UntrustedModule'],
    mutates: true,
  }),
  DeregisterModule: defineOperation({
    summary: 'Forget a registered module; refused while an HSM or key store uses it.',
    input: z.strictObject({ ModuleId: z.string().min(1).max(64) }),
    result: z.object({ ModuleId: z.string() }),
    errors: ['NotFound.Module', 'Forbidden.ModuleInUse'],
    mutates: true,
  }),
};
