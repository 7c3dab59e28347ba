import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { defineOperation, TOKEN_SESSION_ERRORS } from './define';

/*
 * Officers and M-of-N quorum (issue 14): officers hold an approval key on their own PKCS#11 token
 * (Keyward keeps its public key only); operations a quorum policy names run only after enough
 * distinct officers signed the digest of the exact request.
 */

export const officerRoleSchema = z.enum(['CEREMONY_ADMINISTRATOR', 'CRYPTO_OFFICER', 'WITNESS', 'AUDITOR']);
export type OfficerRole = z.infer<typeof officerRoleSchema>;

export const officerNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter');

const publicKeyPemSchema = z.string().min(64).max(16_384).regex(/-----BEGIN PUBLIC KEY-----/, 'must be a PEM public key (SubjectPublicKeyInfo)');

/** The approval key: a key pair on the officer's token (found by label), or a public key whose private key lives elsewhere. */
export const approvalKeySchema = z.union([
  z.strictObject({
    ModuleId: z.string().min(1).max(64),
    TokenSerial: z.string().min(1).max(32).optional(),
    SlotId: z.number().int().min(0).optional(),
    KeyLabel: z.string().min(1).max(128),
  }),
  z.strictObject({ PublicKey: publicKeyPemSchema }),
]);

export const officerSchema = z.object({
  Name: z.string(),
  Roles: z.array(officerRoleSchema),
  State: z.enum(['ENABLED', 'DISABLED']),
  /** EC_P256 or RSA_<bits>. */
  KeySpec: z.string(),
  PublicKey: z.string(),
  /** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: what the officer compares with their token. */
  PublicKeyFingerprint: z.string(),
  /** Where Keyward finds the private key to sign with the officer's PIN; null for a public key given as PEM. */
  Token: z.object({ ModuleId: z.string(), TokenSerial: z.string(), KeyLabel: z.string() }).nullable(),
  CreationDate: z.string(),
});
export type Officer = z.infer<typeof officerSchema>;

export const approvalRequestIdSchema = z.string().regex(/^apr-[0-9a-f-]{36}$/, 'an approval request id apr-<uuid>');

export const approvalRequestStateSchema = z.enum(['PENDING', 'READY', 'EXECUTED', 'REJECTED', 'EXPIRED']);

export const approvalRequestSchema = z.object({
  ApprovalRequestId: z.string(),
  Operation: z.string(),
  /** The request as it will run, secret fields left out (they are given at execution). */
  Input: z.record(z.string(), z.unknown()),
  /** SHA-256 of the canonical {Operation, Input}, lowercase hex: what officers sign. */
  RequestDigest: z.string(),
  RequestedBy: z.string(),
  CreationDate: z.string(),
  Expires: z.string(),
  State: approvalRequestStateSchema,
  MinApprovals: z.number(),
  Approvals: z.array(z.object({ OfficerName: z.string(), ApprovalDate: z.string() })),
  RejectedBy: z.string().nullable(),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

export const quorumPolicySchema = z.object({
  Operations: z.array(z.string()),
  MinApprovals: z.number(),
  ApprovalWindowMinutes: z.number(),
  UpdateDate: z.string().nullable(),
  /** Operations a policy may name: state changes whose secret fields ExecuteApprovedRequest can carry. */
  ProtectableOperations: z.array(z.string()),
});

/** The secret fields ExecuteApprovedRequest takes for the request it runs (never part of the digest). */
export const EXECUTION_SECRET_FIELDS = ['Password', 'SoPin', 'KeyStorePassword', 'OldPassword', 'NewPassword'] as const;

const secretValue = z.string().min(1).max(64).optional();

/** An officer's signature over a digest: made on their enrolled token with their PIN, or elsewhere and given. */
export const officerSignatureShape = {
  OfficerName: officerNameSchema,
  Pin: z.string().min(1).max(64).optional(),
  Signature: z.string().min(8).max(2048).regex(/^[A-Za-z0-9+/]+=*$/, 'must be base64').optional(),
};

export function exactlyOnePinOrSignature(input: { Pin?: string | undefined; Signature?: string | undefined }): boolean {
  return (input.Pin === undefined) !== (input.Signature === undefined);
}

export const PIN_OR_SIGNATURE = { message: 'give exactly one of Pin and Signature', path: ['Pin'] };

/** What signing with an officer's key may answer, besides the operation's own refusals. */
export const OFFICER_SIGNATURE_ERRORS = [
  'NotFound.Officer',
  'Forbidden.OfficerState',
  'InvalidApprovalSignature',
  'AlreadyExists.Approval',
  'HsmError.PinIncorrect',
  'HsmError.PinLocked',
  'HsmError.TokenNotPresent',
  'HsmError.ObjectNotFound',
  'HsmError.DeviceError',
  ...TOKEN_SESSION_ERRORS,
] as const satisfies readonly ErrorCode[];

export const officerOperations = {
  CreateOfficer: defineOperation({
    summary:
      "Enroll an officer with roles and an approval key: EC P-256 or RSA (2048-4096) on the officer's own PKCS#11 token, read by KeyLabel from a registered module (the officer types their token PIN: it goes to C_Login only, and the session is logged out at once), or a PEM public key for signatures made elsewhere. Keyward keeps the public key only.",
    input: z.strictObject({
      Name: officerNameSchema,
      Roles: z.array(officerRoleSchema).min(1).max(4),
      ApprovalKey: approvalKeySchema,
      /** The officer's token PIN, for an approval key on a token. */
      Pin: z.string().min(1).max(64).optional(),
    }),
    result: z.object({ Officer: officerSchema }),
    errors: [
      'AlreadyExists.Officer',
      'NotFound.Module',
      'HsmError.TokenNotPresent',
      'HsmError.ObjectNotFound',
      'HsmError.PinIncorrect',
      'HsmError.PinLocked',
      'HsmError.DeviceError',
      'UnsupportedOperation',
      ...TOKEN_SESSION_ERRORS,
    ],
    mutates: true,
    secretFields: ['Pin'],
  }),
  ListOfficers: defineOperation({
    summary: 'Enrolled officers, by name.',
    input: z.strictObject({}),
    result: z.object({ Officers: z.array(officerSchema) }),
    errors: [],
    mutates: false,
  }),
  DisableOfficer: defineOperation({
    summary: 'Disable an officer: their approvals no longer count. Refused when fewer enabled officers than the quorum policy needs would remain.',
    input: z.strictObject({ Name: officerNameSchema }),
    result: z.object({ Name: z.string(), State: z.enum(['ENABLED', 'DISABLED']) }),
    errors: ['NotFound.Officer', 'Forbidden.Quorum'],
    mutates: true,
  }),
  UpdateQuorumPolicy: defineOperation({
    summary:
      'Which operations need MinApprovals distinct officers’ approvals within ApprovalWindowMinutes (default 10). Once a policy names operations, changing it is itself quorum-protected. An empty Operations list removes the policy.',
    input: z.strictObject({
      Operations: z.array(z.string().min(1).max(64)).max(64),
      MinApprovals: z.number().int().min(1).max(16),
      ApprovalWindowMinutes: z.number().int().min(1).max(1440).default(10),
    }),
    result: quorumPolicySchema,
    errors: ['Forbidden.Quorum', 'QuorumRequired'],
    mutates: true,
  }),
  DescribeQuorumPolicy: defineOperation({
    summary: 'The quorum policy in force.',
    input: z.strictObject({}),
    result: quorumPolicySchema,
    errors: [],
    mutates: false,
  }),
  ListApprovalRequests: defineOperation({
    summary: 'Approval requests, newest first (a request past its window reads EXPIRED).',
    input: z.strictObject({ State: approvalRequestStateSchema.optional() }),
    result: z.object({ ApprovalRequests: z.array(approvalRequestSchema) }),
    errors: [],
    mutates: false,
  }),
  ApproveRequest: defineOperation({
    summary:
      "An officer approves a pending request: with Pin, Keyward signs the RequestDigest on the officer's token (the PIN goes to C_Login only); with Signature, a signature made elsewhere (ECDSA or RSA PKCS#1 v1.5 with SHA-256 over the 32 digest bytes; DER or raw r||s). Checked against the enrolled public key.",
    input: z
      .strictObject({ ApprovalRequestId: approvalRequestIdSchema, ...officerSignatureShape })
      .refine(exactlyOnePinOrSignature, PIN_OR_SIGNATURE),
    result: approvalRequestSchema,
    errors: ['NotFound.ApprovalRequest', 'Forbidden.ApprovalRequestState', ...OFFICER_SIGNATURE_ERRORS],
    mutates: true,
    secretFields: ['Pin'],
  }),
  RejectRequest: defineOperation({
    summary: 'Reject a pending request for good; it can no longer be approved or executed.',
    input: z.strictObject({ ApprovalRequestId: approvalRequestIdSchema, Reason: z.string().max(512).optional() }),
    result: approvalRequestSchema,
    errors: ['NotFound.ApprovalRequest', 'Forbidden.ApprovalRequestState'],
    mutates: true,
  }),
  ExecuteApprovedRequest: defineOperation({
    summary:
      'Run an approved request once, as it was approved, with the secret fields it needs (never part of what officers signed). Its audit record names the request, its digest and the approving officers.',
    input: z.strictObject({
      ApprovalRequestId: approvalRequestIdSchema,
      Password: secretValue,
      SoPin: secretValue,
      KeyStorePassword: secretValue,
      OldPassword: secretValue,
      NewPassword: secretValue,
    }),
    result: z.object({ ApprovalRequestId: z.string(), Operation: z.string(), Result: z.record(z.string(), z.unknown()) }),
    errors: ['NotFound.ApprovalRequest', 'Forbidden.ApprovalRequestState', 'Forbidden.Quorum'],
    mutates: true,
    secretFields: [...EXECUTION_SECRET_FIELDS],
  }),
};
