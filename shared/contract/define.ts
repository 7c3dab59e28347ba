import { z } from 'zod';
import type { ErrorCode } from '../errors';

/** The input fields of an operation: the keys of its input object's shape. */
export type InputField<Input extends z.ZodObject> = keyof Input['shape'] & string;

/**
 * One operation of the catalogue. `result` is what the service returns; the transport adds
 * `RequestId`, so `output` is `result` plus `RequestId`. Inputs are objects (every transport sends
 * named fields), so `input.shape` lists the fields without a cast.
 */
export interface OperationDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Result extends z.ZodObject = z.ZodObject,
> {
  summary: string;
  input: Input;
  result: Result;
  output: z.ZodObject;
  errors: readonly ErrorCode[];
  /** State-changing operations get a durable audit record in the same transaction. */
  mutates: boolean;
  /** Input fields whose values are secrets: never logged, audited or echoed. */
  secretFields: readonly InputField<Input>[];
  /**
   * A file the transport handles, never named by path in the input or output: `produces` — the
   * result's `BackupId` names a made file the transport delivers (save dialog, one-time download,
   * --output); `consumes` — the input's `FileId` names a file the transport staged (open dialog,
   * upload, --input).
   */
  file?: 'produces' | 'consumes';
}

const requestIdShape = { RequestId: z.string() };

export function defineOperation<Input extends z.ZodObject, Result extends z.ZodObject>(definition: {
  summary: string;
  input: Input;
  result: Result;
  errors: readonly ErrorCode[];
  mutates: boolean;
  /** Checked against the input's fields: a misspelled name does not compile. */
  secretFields?: readonly NoInfer<InputField<Input>>[];
  file?: 'produces' | 'consumes';
}): OperationDefinition<Input, Result> & { output: ReturnType<Result['extend']> } {
  return {
    ...definition,
    secretFields: definition.secretFields ?? [],
    output: definition.result.extend(requestIdShape) as ReturnType<Result['extend']>,
  };
}

/**
 * What an operation that runs PKCS#11 calls on a token's pooled sessions may answer, whatever it
 * does: every session stayed busy for the whole wait and the call was not started (retry later).
 * Declared by each such operation rather than made common: registry-only operations (lists,
 * aliases, tags) and logins (the anchor session) never wait for a pooled session.
 */
export const TOKEN_SESSION_ERRORS = ['Throttling.HsmSessionsBusy'] as const satisfies readonly ErrorCode[];

/** Errors any operation may return, whatever it documents. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'InvalidParameter',
  'MissingParameter',
  'InvalidAction',
  'RequestTooLarge',
  'InternalFailure',
];

/**
 * True when an operation may answer with `code`: one its definition documents, or a common one.
 * Clients branch on codes, so an undocumented code is a contract break (tests run this over what
 * they observe).
 */
export function declaresError(definition: Pick<OperationDefinition, 'errors' | 'mutates'>, code: string): boolean {
  const declared: readonly string[] = definition.errors;
  // Any state change may wait for officers' approvals once a quorum policy names it.
  if (code === 'QuorumRequired' && definition.mutates) return true;
  return declared.includes(code) || (COMMON_ERRORS as readonly string[]).includes(code);
}
