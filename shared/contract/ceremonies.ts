import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { exactlyOnePinOrSignature, OFFICER_SIGNATURE_ERRORS, officerNameSchema, officerRoleSchema, officerSignatureShape, PIN_OR_SIGNATURE } from './officers';

/*
 * Key ceremonies (issue 15): a published script run step by step before witnesses. Each step may
 * run one operation of this catalogue through the normal contract (quorum rules apply); its input
 * is a template whose `${name}` placeholders are filled at run time, `${secret:name}` ones from
 * secrets asked for at the step and never recorded, `${steps.<StepId>.<Output>}` ones from what an
 * earlier step recorded. The record of the run is a transcript (JSON and PDF) signed by the audit
 * signing key.
 */

/** Largest script ImportCeremonyScript takes, as canonical JSON. */
export const MAX_CEREMONY_SCRIPT_BYTES = 128 * 1024;
export const MAX_CEREMONY_STEPS = 64;

export const ceremonyScriptNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be 1-64 characters of a-z 0-9 -, starting with a letter');
export const ceremonyStepIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be 1-64 characters of a-z 0-9 -, starting with a letter');
export const ceremonyIdSchema = z.string().regex(/^cer-[0-9a-f-]{36}$/, 'a ceremony id cer-<uuid>');
/** A placeholder or output name: what `${...}` may name. */
export const ceremonyValueNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be 1-64 characters of A-Z a-z 0-9 _, starting with a letter');

/** What is recorded of an output: the value itself (an id, a state) or only its SHA-256 (a public key or certificate PEM: of its DER). */
export const ceremonyOutputKindSchema = z.enum(['VALUE', 'SHA256']);

export const ceremonyOutputSpecSchema = z.strictObject({
  Name: ceremonyValueNameSchema,
  /** Dot path into the operation's result, e.g. `KeyMetadata.KeyId`. */
  From: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, 'a dot path such as KeyMetadata.KeyId').max(256),
  Kind: ceremonyOutputKindSchema.default('VALUE'),
});

/** A value the step asks for at run time. */
export const ceremonyParameterSchema = z.strictObject({
  Name: ceremonyValueNameSchema,
  Label: z.string().min(1).max(200),
  /** Asked for at the step, used for that call only, never recorded (PINs, passwords). */
  Secret: z.boolean().default(false),
});

export const ceremonyStepSchema = z.strictObject({
  StepId: ceremonyStepIdSchema,
  Title: z.string().min(1).max(200),
  /** What the people in the room do and check, in plain words. */
  Instructions: z.string().min(1).max(8_000),
  /** The Keyward operation the step runs, if any. */
  Operation: z.string().min(1).max(64).optional(),
  /** The operation's input; string values may hold placeholders. */
  Input: z.record(z.string(), z.unknown()).optional(),
  Parameters: z.array(ceremonyParameterSchema).max(16).default([]),
  /** How many distinct WITNESS participants sign the step off before the next one may start. */
  WitnessSignOffs: z.number().int().min(0).max(8).default(0),
  Outputs: z.array(ceremonyOutputSpecSchema).max(16).default([]),
});
export type CeremonyStep = z.output<typeof ceremonyStepSchema>;

export const ceremonyScriptSchema = z.strictObject({
  Name: ceremonyScriptNameSchema,
  Title: z.string().min(1).max(200),
  Description: z.string().max(4_000).default(''),
  /** Who must take part: at least Count participants with each role. */
  Roles: z.array(z.strictObject({ Role: officerRoleSchema, Count: z.number().int().min(1).max(8) })).min(1).max(4),
  Steps: z.array(ceremonyStepSchema).min(1).max(MAX_CEREMONY_STEPS),
});
export type CeremonyScript = z.output<typeof ceremonyScriptSchema>;
export type CeremonyScriptInput = z.input<typeof ceremonyScriptSchema>;

export const ceremonyScriptSummarySchema = z.object({
  Name: z.string(),
  Title: z.string(),
  Description: z.string(),
  BuiltIn: z.boolean(),
  /** SHA-256 of the script's canonical JSON, lowercase hex: what a transcript names. */
  Sha256: z.string(),
  Script: ceremonyScriptSchema,
});

export const ceremonyStateSchema = z.enum(['IN_PROGRESS', 'COMPLETED', 'ABORTED']);
/**
 * PENDING: not run yet (or known not to have run). RUNNING: its operation was started and Keyward
 * stopped before it knew the outcome; DescribeCeremony settles it from the audit chain.
 * AWAITING_APPROVAL: its operation needs officers' approvals (ApprovalRequestId). DONE: ran (or,
 * without an operation, confirmed); waits for its sign-offs. SIGNED_OFF: done and signed.
 * FAILED: its operation was refused (it may be run again). SKIPPED: passed over with a deviation.
 */
export const ceremonyStepStateSchema = z.enum(['PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'DONE', 'SIGNED_OFF', 'FAILED', 'SKIPPED']);

export const ceremonyParticipantSchema = z.strictObject({ OfficerName: officerNameSchema, Role: officerRoleSchema });

export const ceremonyRecordedOutputSchema = z.object({
  Name: z.string(),
  Kind: ceremonyOutputKindSchema,
  /** The value (VALUE) or the lowercase-hex SHA-256 (SHA256). */
  Value: z.string(),
});

export const ceremonyStepRecordSchema = z.object({
  StepId: z.string(),
  Title: z.string(),
  State: ceremonyStepStateSchema,
  Operation: z.string().nullable(),
  /** The input as it ran, secret fields left out. */
  Input: z.record(z.string(), z.unknown()).nullable(),
  StartedAt: z.string().nullable(),
  FinishedAt: z.string().nullable(),
  /** Who ran it (the console's actor). */
  RunBy: z.string().nullable(),
  Attempts: z.number(),
  Outputs: z.array(ceremonyRecordedOutputSchema),
  ErrorCode: z.string().nullable(),
  ErrorMessage: z.string().nullable(),
  ApprovalRequestId: z.string().nullable(),
  /** Sequence of the audit record of the step's operation (or of the step itself without one). */
  AuditSequence: z.number().nullable(),
  /** Set when the step was settled after a restart: how its outcome was known. */
  Recovered: z.string().nullable(),
  SignOffs: z.array(z.object({ OfficerName: z.string(), SignedAt: z.string(), Signature: z.string() })),
  /** SHA-256 of the canonical step record the witnesses sign (lowercase hex); null until the step is DONE. */
  SignOffDigest: z.string().nullable(),
  Deviations: z.array(z.object({ Note: z.string(), RecordedBy: z.string(), RecordedAt: z.string() })),
});
export type CeremonyStepRecord = z.infer<typeof ceremonyStepRecordSchema>;

export const ceremonySchema = z.object({
  CeremonyId: z.string(),
  ScriptName: z.string(),
  ScriptTitle: z.string(),
  ScriptSha256: z.string(),
  State: ceremonyStateSchema,
  Participants: z.array(z.object({ OfficerName: z.string(), Role: officerRoleSchema, PublicKeyFingerprint: z.string() })),
  StartedBy: z.string(),
  StartedAt: z.string(),
  EndedAt: z.string().nullable(),
  /** The step that runs next; null once every step is signed off or skipped. */
  CurrentStepId: z.string().nullable(),
  Steps: z.array(ceremonyStepRecordSchema),
});
export type Ceremony = z.infer<typeof ceremonySchema>;

/**
 * The transcript, as signed. Built from the ceremony's record only (no clock read at export), so
 * the same ceremony always gives the same bytes, and the PDF is rendered from exactly this.
 */
export const ceremonyTranscriptSchema = z.object({
  Format: z.literal('keyward-ceremony-transcript/1'),
  Ceremony: ceremonySchema,
  Script: ceremonyScriptSchema,
  /** The audit records the ceremony spans: from StartCeremony's to the last step's or the end's. */
  AuditRange: z.object({ FromSequence: z.number(), ToSequence: z.number(), FromHash: z.string(), ToHash: z.string() }),
  /** SHA-256 of the audit signing key's DER SubjectPublicKeyInfo, lowercase hex. */
  SigningKeySha256: z.string(),
});
export type CeremonyTranscript = z.infer<typeof ceremonyTranscriptSchema>;

const ceremonyRef = { CeremonyId: ceremonyIdSchema };
const stepRef = { CeremonyId: ceremonyIdSchema, StepId: ceremonyStepIdSchema };
const signingErrors = ['Forbidden.KeyStoreState', 'HsmError.DeviceError', ...TOKEN_SESSION_ERRORS] as const;
const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const ceremonyOperations = {
  ImportCeremonyScript: defineOperation({
    summary:
      'Import a ceremony script (JSON: title, roles, steps with instructions, an optional operation and its input template, parameters, witness sign-offs and outputs). Checked whole on import: every operation exists and is not a ceremony operation, every placeholder is declared, secret placeholders only in the operation’s secret fields.',
    input: z.strictObject({ Script: z.string().min(2).max(MAX_CEREMONY_SCRIPT_BYTES) }),
    result: ceremonyScriptSummarySchema,
    errors: ['AlreadyExists.CeremonyScript', 'InvalidCeremonyScript'],
    mutates: true,
  }),
  ListCeremonyScripts: defineOperation({
    summary: 'The built-in scripts (HSM cluster + kmsuser + private key store; root signing key; bring-your-own-key import; key destruction) and the imported ones.',
    input: z.strictObject({}),
    result: z.object({ Scripts: z.array(ceremonyScriptSummarySchema) }),
    errors: [],
    mutates: false,
  }),
  StartCeremony: defineOperation({
    summary: 'Start a ceremony from a script with its participants: enabled officers holding the roles the script names, as many as it needs.',
    input: z.strictObject({ ScriptName: ceremonyScriptNameSchema, Participants: z.array(ceremonyParticipantSchema).min(1).max(16) }),
    result: z.object({ CeremonyId: z.string(), Ceremony: ceremonySchema }),
    errors: ['NotFound.CeremonyScript', 'NotFound.Officer', 'Forbidden.OfficerState', 'Forbidden.CeremonyParticipants'],
    mutates: true,
  }),
  RunCeremonyStep: defineOperation({
    summary:
      'Run the current step: its operation through the normal contract with the input template filled from Input (parameters), Secrets (never recorded) and earlier outputs; a step without an operation is confirmed. A step waiting for approvals runs its approved request. Refused while the previous step waits for sign-offs.',
    input: z.strictObject({
      ...stepRef,
      // Room for wrapped key material (an RSA-4096 private key under AES key wrap is ~3.9 KB in base64).
      Input: z.record(ceremonyValueNameSchema, z.string().max(16_384)).optional(),
      Secrets: z.record(ceremonyValueNameSchema, z.string().min(1).max(256)).optional(),
    }),
    result: z.object({ Ceremony: ceremonySchema, Step: ceremonyStepRecordSchema }),
    errors: ['NotFound.Ceremony', 'Forbidden.CeremonyState', 'Forbidden.CeremonyStepOrder', 'MissingParameter'],
    mutates: true,
    secretFields: ['Secrets'],
  }),
  SignOffCeremonyStep: defineOperation({
    summary:
      "A witness signs a done step off: with Pin, Keyward signs the step's SignOffDigest on the officer's token (the PIN goes to C_Login only); with Signature, one made elsewhere over the digest (as for ApproveRequest).",
    input: z.strictObject({ ...stepRef, ...officerSignatureShape }).refine(exactlyOnePinOrSignature, PIN_OR_SIGNATURE),
    result: z.object({ Ceremony: ceremonySchema, Step: ceremonyStepRecordSchema }),
    errors: ['NotFound.Ceremony', 'Forbidden.CeremonyState', 'Forbidden.CeremonyStepOrder', 'Forbidden.CeremonyParticipants', ...OFFICER_SIGNATURE_ERRORS],
    mutates: true,
    secretFields: ['Pin'],
  }),
  RecordDeviation: defineOperation({
    summary: 'Record a deviation from the script at a step, with a note; SkipStep passes over the current step (it is not run).',
    input: z.strictObject({ ...stepRef, Note: z.string().min(1).max(2_000), SkipStep: z.boolean().default(false) }),
    result: z.object({ Ceremony: ceremonySchema, Step: ceremonyStepRecordSchema }),
    errors: ['NotFound.Ceremony', 'Forbidden.CeremonyState', 'Forbidden.CeremonyStepOrder'],
    mutates: true,
  }),
  CompleteCeremony: defineOperation({
    summary: 'Close a ceremony whose every step is signed off or skipped.',
    input: z.strictObject(ceremonyRef),
    result: z.object({ Ceremony: ceremonySchema }),
    errors: ['NotFound.Ceremony', 'Forbidden.CeremonyState', 'Forbidden.CeremonyStepOrder'],
    mutates: true,
  }),
  AbortCeremony: defineOperation({
    summary: 'Stop a ceremony for good, with the reason; its transcript says where it stopped.',
    input: z.strictObject({ ...ceremonyRef, Reason: z.string().min(1).max(2_000) }),
    result: z.object({ Ceremony: ceremonySchema }),
    errors: ['NotFound.Ceremony', 'Forbidden.CeremonyState'],
    mutates: true,
  }),
  DescribeCeremony: defineOperation({
    summary: 'A ceremony with every step as recorded, and the script it runs; a step left RUNNING by a stop of Keyward is settled from the audit chain first (never run twice).',
    input: z.strictObject(ceremonyRef),
    result: z.object({ Ceremony: ceremonySchema, /** The copy of the script the ceremony runs, as it was started. */ Script: ceremonyScriptSchema }),
    errors: ['NotFound.Ceremony'],
    mutates: false,
  }),
  ListCeremonies: defineOperation({
    summary: 'Ceremonies, newest first.',
    input: z.strictObject({ State: ceremonyStateSchema.optional() }),
    result: z.object({ Ceremonies: z.array(ceremonySchema.omit({ Steps: true })) }),
    errors: [],
    mutates: false,
  }),
  ExportCeremonyTranscript: defineOperation({
    summary:
      'The signed transcript: JSON, the PDF rendered from it (base64), and a DER ECDSA-SHA256 signature over each by the audit signing key. Check with `openssl dgst -sha256 -verify signing-key.pem -signature transcript.sig transcript.json`, or VerifyCeremonyTranscript.',
    input: z.strictObject(ceremonyRef),
    result: z.object({ Json: z.string(), Pdf: z.string(), Signature: z.string(), PdfSignature: z.string(), SigningPublicKey: z.string() }),
    errors: ['NotFound.Ceremony', ...signingErrors],
    mutates: true,
  }),
  VerifyCeremonyTranscript: defineOperation({
    summary:
      'Check a transcript offline: the signature over its JSON, and when given, that the PDF is exactly the one rendered from that JSON and that its signature holds. SigningPublicKey defaults to this instance’s audit signing key.',
    input: z.strictObject({
      // Together within the request limit (256 KiB); a larger transcript is checked with openssl alone.
      Json: z.string().min(2).max(112 * 1024),
      Signature: base64Schema.min(8).max(2048),
      Pdf: base64Schema.max(128 * 1024).optional(),
      PdfSignature: base64Schema.min(8).max(2048).optional(),
      SigningPublicKey: z.string().min(64).max(4_096).optional(),
    }),
    result: z.object({
      Valid: z.boolean(),
      SignatureValid: z.boolean(),
      /** Null when no PDF was given. */
      PdfValid: z.boolean().nullable(),
      CeremonyId: z.string().nullable(),
      Reason: z.string().nullable(),
    }),
    errors: ['Forbidden.KeyStoreState'],
    mutates: false,
  }),
};
