/** Judges one answer to a hostile call: a typed error, or a result the contract allows. */
import type { CallOutcome } from '../../../../shared/bridge';
import { contract, isOperationName } from '../../../../shared/contract';
import { ERROR_CODES } from '../../../../shared/errors';

const MAX_MESSAGE_CHARS = 1_000;

/** Null when the outcome is acceptable, else what is wrong with it. */
export function judgeOutcome(op: unknown, input: unknown, outcome: CallOutcome): string | null {
  if (!outcome.ok) return judgeError(outcome.error);
  if (!isOperationName(op)) return 'an unknown operation succeeded';
  const definition = contract[op];
  if (!definition.input.safeParse(input ?? {}).success) return `${op} accepted an input its schema rejects`;
  if (definition.mutates) return `${op} changed state on a hostile input`;
  const output = definition.output.safeParse(outcome.output);
  return output.success ? null : `${op} returned an output outside its contract`;
}

export function judgeError(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return 'the error is not an object';
  const body = error as Record<string, unknown>;
  if (typeof body.Code !== 'string' || !(ERROR_CODES as readonly string[]).includes(body.Code)) return `untyped error code ${String(body.Code)}`;
  if (body.Code === 'InternalFailure') return `InternalFailure: ${String(body.Message)}`;
  if (typeof body.Message !== 'string' || body.Message.length === 0) return 'the error has no message';
  if (body.Message.length > MAX_MESSAGE_CHARS) return `the error message echoes ${body.Message.length} characters`;
  if (typeof body.RequestId !== 'string') return 'the error has no RequestId';
  return null;
}

/** Tally of a suite run, by transport and case kind, and every finding (first few kept in full). */
export class Tally {
  readonly byTransport: Record<string, number> = {};
  readonly byKind: Record<string, number> = {};
  readonly byCode: Record<string, number> = {};
  readonly findings: string[] = [];
  total = 0;

  record(transport: string, kind: string, outcome: CallOutcome, finding: string | null, describe: () => string): void {
    this.total += 1;
    this.byTransport[transport] = (this.byTransport[transport] ?? 0) + 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    const code = outcome.ok ? 'OK' : outcome.error.Code;
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    if (finding) this.findings.push(`${transport} ${kind}: ${finding} <- ${describe()}`);
  }
}

/** A bounded description of a case for a failure message. */
export function describeCase(op: unknown, input: unknown): string {
  let text: string;
  try {
    text = JSON.stringify({ op, input }) ?? String(input);
  } catch {
    text = `${String(op)} (unserializable input)`;
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
