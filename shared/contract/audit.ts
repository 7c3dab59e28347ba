import { z } from 'zod';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';
import { MAX_REQUEST_BYTES, pageNumberSchema, pageSizeSchema, utcTimestampSchema } from './primitives';

/** Most records one ExportAuditLog answers with; a longer log is exported in ranges. */
export const MAX_AUDIT_EXPORT_RECORDS = 100_000;
/**
 * Largest Export VerifyAuditExport takes: the schema's bound is the request limit every transport
 * applies first, so a bigger export is checked offline (openssl and the README's chain recipe).
 */
export const MAX_AUDIT_EXPORT_VERIFY_CHARS = MAX_REQUEST_BYTES;

const auditSequenceSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const auditEventSchema = z.object({
  Sequence: z.number(),
  EventId: z.string(),
  Time: z.string(),
  Operation: z.string(),
  Actor: z.string(),
  Transport: z.string(),
  ResourceId: z.string(),
  Outcome: z.enum(['SUCCESS', 'FAILURE']),
  ErrorCode: z.string(),
  RequestId: z.string(),
  Details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  PreviousHash: z.string(),
  Hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditFilterSchema = z.strictObject({
  Key: z.enum(['Operation', 'ResourceId', 'Outcome', 'Actor']),
  Values: z.array(z.string().min(1).max(256)).min(1).max(10),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

/** A point of the chain kept outside the registry file: the anchor in the HSM, or an officer's checkpoint. */
export const auditCheckpointSchema = z.strictObject({
  Sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** The record's chain hash, as ListAuditEvents and GetAuditAnchor show it (lowercase hex). */
  Hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 chain hash in lowercase hex'),
});

export const auditAnchorSchema = z.object({
  Sequence: z.number(),
  Hash: z.string(),
  /** When the HSM's anchor was moved to this record. */
  Time: z.string(),
});
export type AuditAnchorOutput = z.infer<typeof auditAnchorSchema>;

export const auditOperations = {
  ListAuditEvents: defineOperation({
    summary: 'Page through audit events, newest first.',
    input: z.strictObject({
      PageNumber: pageNumberSchema,
      PageSize: pageSizeSchema,
      Filters: z.array(auditFilterSchema).max(4).default([]),
      /** Events at or after this time (inclusive); named like ExportAuditLog's FromSequence. */
      FromTime: utcTimestampSchema.optional(),
      /** Events before this time (exclusive), so consecutive ranges never count an event twice. */
      ToTime: utcTimestampSchema.optional(),
    })
    .refine(
      (input) => input.FromTime === undefined || input.ToTime === undefined || Date.parse(input.ToTime) > Date.parse(input.FromTime),
      { message: 'ToTime must be later than FromTime', path: ['ToTime'] },
    ),
    result: z.object({
      Events: z.array(auditEventSchema),
      TotalCount: z.number(),
      PageNumber: z.number(),
      PageSize: z.number(),
    }),
    errors: [],
    mutates: false,
  }),
  VerifyAuditLog: defineOperation({
    summary:
      'Recompute the hash chain and check it against the anchor the default key store HSM holds (while connected) and an optional checkpoint; report the first broken record.',
    input: z.strictObject({
      /** A checkpoint written down earlier (GetAuditAnchor): record Sequence must still have this Hash. */
      ExpectedAnchor: auditCheckpointSchema.optional(),
    }),
    result: z.object({
      Valid: z.boolean(),
      CheckedRecords: z.number(),
      FirstBrokenSequence: z.number().nullable(),
      Reason: z.string(),
      /** The anchor read from the HSM (null: not checked, none yet, or not valid). */
      Anchor: auditAnchorSchema.nullable(),
      /** False while the default key store is not connected: then Valid speaks for the chain alone. */
      AnchorChecked: z.boolean(),
      /** Records after the anchor, which only the chain protects so far (null when not checked). */
      UnanchoredRecords: z.number().nullable(),
    }),
    errors: [],
    mutates: false,
  }),
  GetAuditAnchor: defineOperation({
    summary: 'Bring the anchor in the default key store HSM up to the last record and return it, as a checkpoint to write down.',
    input: z.strictObject({}),
    result: z.object({
      Anchor: auditAnchorSchema.nullable(),
      LastSequence: z.number(),
      UnanchoredRecords: z.number(),
    }),
    errors: [...TOKEN_SESSION_ERRORS, 'Forbidden.KeyStoreState', 'HsmError.Generic'],
    mutates: false,
  }),
  GetAuditSigningKey: defineOperation({
    summary:
      'The audit signing key (EC P-256, made inside the default key store HSM on first use, never extractable) that signs audit exports: its public key and fingerprint.',
    input: z.strictObject({}),
    result: z.object({
      /** PEM SubjectPublicKeyInfo, for `openssl dgst -verify`. */
      PublicKey: z.string(),
      /** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: what a witness compares. */
      Sha256: z.string(),
      KeySpec: z.literal('EC_P256'),
    }),
    errors: ['Forbidden.KeyStoreState', ...TOKEN_SESSION_ERRORS, 'HsmError.DeviceError'],
    mutates: true,
  }),
  ExportAuditLog: defineOperation({
    summary:
      'Export audit records (a sequence range, inclusive; the whole log by default) as JSON Lines with their chain hashes, signed by the audit signing key inside the HSM.',
    input: z
      .strictObject({
        FromSequence: auditSequenceSchema.optional(),
        ToSequence: auditSequenceSchema.optional(),
      })
      .refine((input) => input.FromSequence === undefined || input.ToSequence === undefined || input.ToSequence >= input.FromSequence, {
        message: 'ToSequence must not be lower than FromSequence',
        path: ['ToSequence'],
      }),
    result: z.object({
      /** One JSON object per line (ListAuditEvents' fields, in that order), each line ending in '\n'. */
      Export: z.string(),
      /** Base64 of the DER ECDSA-SHA256 signature over the UTF-8 bytes of Export. */
      Signature: z.string(),
      SigningPublicKey: z.string(),
      FromSequence: z.number(),
      ToSequence: z.number(),
      RecordCount: z.number(),
    }),
    errors: ['Forbidden.KeyStoreState', ...TOKEN_SESSION_ERRORS, 'HsmError.DeviceError'],
    mutates: true,
  }),
  VerifyAuditExport: defineOperation({
    summary:
      'Check an audit export offline: its signature (against SigningPublicKey, or this instance’s audit signing key) and its hash chain; report the first broken record.',
    input: z.strictObject({
      Export: z.string().min(1).max(MAX_AUDIT_EXPORT_VERIFY_CHARS),
      Signature: z.string().min(1).max(1024),
      /** PEM of the key that signed; by default this instance's audit signing key. */
      SigningPublicKey: z.string().min(1).max(4096).optional(),
    }),
    result: z.object({
      Valid: z.boolean(),
      SignatureValid: z.boolean(),
      ChainValid: z.boolean(),
      RecordCount: z.number(),
      FirstBrokenSequence: z.number().nullable(),
      Reason: z.string().nullable(),
    }),
    errors: ['Forbidden.KeyStoreState'],
    mutates: false,
  }),
};
