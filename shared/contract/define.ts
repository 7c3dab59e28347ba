import { z } from 'zod';
import type { ErrorCode } from '../errors';

/**
 * One operation of the catalogue. `result` is what the service returns; the transport adds
 * `RequestId`, so `output` is `result` plus `RequestId`.
 */
export interface OperationDefinition<
  Input extends z.ZodType = z.ZodType,
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
  secretFields: readonly string[];
  /**
   * A file the transport handles, never named by path in the input or output: `produces` — the
   * result's `BackupId` names a made file the transport delivers (save dialog, one-time download,
   * --output); `consumes` — the input's `FileId` names a file the transport staged (open dialog,
   * upload, --input).
   */
  file?: 'produces' | 'consumes';
}

const requestIdShape = { RequestId: z.string() };

export function defineOperation<Input extends z.ZodType, Result extends z.ZodObject>(definition: {
  summary: string;
  input: Input;
  result: Result;
  errors: readonly ErrorCode[];
  mutates: boolean;
  secretFields?: readonly string[];
  file?: 'produces' | 'consumes';
}): OperationDefinition<Input, Result> & { output: ReturnType<Result['extend']> } {
  return {
    ...definition,
    secretFields: definition.secretFields ?? [],
    output: definition.result.extend(requestIdShape) as ReturnType<Result['extend']>,
  };
}

/** Errors any operation may return, whatever it documents. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'InvalidParameter',
  'MissingParameter',
  'InvalidAction',
  'RequestTooLarge',
  'InternalFailure',
];
