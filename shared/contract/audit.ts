import { z } from 'zod';
import { defineOperation } from './define';
import { pageNumberSchema, pageSizeSchema } from './primitives';

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

export const auditOperations = {
  ListAuditEvents: defineOperation({
    summary: 'Page through audit events, newest first.',
    input: z.strictObject({
      PageNumber: pageNumberSchema,
      PageSize: pageSizeSchema,
      Filters: z.array(auditFilterSchema).max(4).default([]),
    }),
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
    summary: 'Recompute the hash chain; report the first broken record.',
    input: z.strictObject({}),
    result: z.object({
      Valid: z.boolean(),
      CheckedRecords: z.number(),
      FirstBrokenSequence: z.number().nullable(),
      Reason: z.string(),
    }),
    errors: [],
    mutates: false,
  }),
};
