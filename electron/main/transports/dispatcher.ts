import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CallOutcome, TransportName } from '../../../shared/bridge';
import { contract, isOperationName, MAX_REQUEST_BYTES, type OperationName } from '../../../shared/contract';
import { KmsError, type ErrorCode, type KmsErrorBody } from '../../../shared/errors';
import type { ProgressEvent } from '../../../shared/wire';
import { isAuditedFailure } from '../services/audit/audited-failure';
import { resourceIdOf } from '../services/audit/resource-id';
import type { FailureAuditor, OperationHandlers } from '../services/handlers-type';
import type { RequestContext } from '../services/request-context';
import { describeInputIssue } from './input-issues';
import { prototypeKeyPath } from './prototype-keys';

export interface DispatchContext {
  transport: TransportName;
  /** Who acts, when not the officer of this process: the application endpoint names the client key. */
  actor?: string;
  onProgress?: (event: ProgressEvent) => void;
}

export interface DispatcherOptions {
  handlers: OperationHandlers;
  actor: string;
  auditFailure: FailureAuditor;
  /** Where internal errors are reported (never with inputs). */
  logError?: (requestId: string, operation: string, error: unknown) => void;
}

export type Dispatch = (operation: unknown, input: unknown, context: DispatchContext) => Promise<CallOutcome>;

/**
 * The single entry every transport binds to: checks the operation name, the request size and the
 * input schema before any service runs, and turns every failure into `{Code, Message, RequestId}`.
 * It never throws.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const logError = options.logError ?? defaultLogError;

  return async (operation, input, dispatchContext) => {
    const requestId = randomUUID();
    const fail = (code: ErrorCode, message: string): CallOutcome => ({
      ok: false,
      error: { Code: code, Message: message, RequestId: requestId },
    });

    if (!isOperationName(operation)) {
      return fail('InvalidAction', `Unknown operation ${describeName(operation)}.`);
    }
    const sizeProblem = checkSize(input);
    if (sizeProblem) return fail('RequestTooLarge', sizeProblem);

    if (input !== undefined && input !== null && !isPlainObject(input)) {
      // zod's object check lets a Map, Date or class instance through (IPC clones those) and reads
      // inherited fields; an input is plain data, or nothing.
      return fail('InvalidParameter', 'The input must be a JSON object.');
    }
    const prototypeKey = prototypeKeyPath(input);
    if (prototypeKey !== null) {
      return fail('InvalidParameter', `${prototypeKey}: "__proto__" is not accepted as a name.`);
    }
    const definition = contract[operation];
    const parsed = definition.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = describeInputIssue(parsed.error);
      return fail(issue.missing ? 'MissingParameter' : 'InvalidParameter', issue.message);
    }

    const context: RequestContext = {
      requestId,
      transport: dispatchContext.transport,
      actor: dispatchContext.actor ?? options.actor,
      progress: (fraction, message) =>
        dispatchContext.onProgress?.({ requestId, operation, fraction, message }),
    };

    try {
      const result = await runHandler(options.handlers, operation, parsed.data, context);
      // Parsing the result strips anything a service returned beyond the contract.
      const output = definition.result.parse(result) as Record<string, unknown>;
      return { ok: true, output: { ...output, RequestId: requestId } };
    } catch (error) {
      const outcome = toFailure(error, requestId, operation, logError);
      if (definition.mutates && !isAuditedFailure(error)) {
        auditFailureSafely(options, operation, context, outcome.error.Code, parsed.data, logError);
      }
      return outcome;
    }
  };
}

function runHandler(
  handlers: OperationHandlers,
  operation: OperationName,
  input: unknown,
  context: RequestContext,
): Promise<unknown> {
  // The schema parse above is what makes this cast sound.
  const handler = handlers[operation] as (input: unknown, context: RequestContext) => Promise<unknown>;
  return handler(input, context);
}

function toFailure(
  error: unknown,
  requestId: string,
  operation: string,
  logError: NonNullable<DispatcherOptions['logError']>,
): { ok: false; error: KmsErrorBody } {
  if (error instanceof KmsError) {
    return { ok: false, error: { Code: error.code, Message: error.message, RequestId: requestId, ...(error.details ? { Details: error.details } : {}) } };
  }
  logError(requestId, operation, error);
  const message =
    error instanceof z.ZodError
      ? 'The service produced an output that does not match the contract.'
      : 'Internal failure; the request changed nothing it could not roll back. Quote the RequestId when reporting it.';
  return { ok: false, error: { Code: 'InternalFailure', Message: message, RequestId: requestId } };
}

function auditFailureSafely(
  options: DispatcherOptions,
  operation: OperationName,
  context: RequestContext,
  errorCode: string,
  input: unknown,
  logError: NonNullable<DispatcherOptions['logError']>,
): void {
  try {
    options.auditFailure({ operation, context, errorCode, resourceId: resourceIdOf(input) });
  } catch (auditError) {
    logError(context.requestId, operation, auditError);
  }
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function checkSize(input: unknown): string | null {
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(input);
  } catch {
    return 'The request cannot be serialized.';
  }
  if (serialized !== undefined && serialized.length > MAX_REQUEST_BYTES) {
    return `The request is larger than ${MAX_REQUEST_BYTES} bytes.`;
  }
  return null;
}

function describeName(name: unknown): string {
  if (typeof name !== 'string') return `(a ${typeof name}, not a name)`;
  const printable = name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
  return `"${printable}"`;
}

function defaultLogError(requestId: string, operation: string, error: unknown): void {
  const kind = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  console.error(`[keyward] ${operation} ${requestId} failed internally: ${kind}`);
}
