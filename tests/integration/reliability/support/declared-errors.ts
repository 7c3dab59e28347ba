/**
 * The error codes each operation was seen to answer with, checked against what the contract
 * declares: clients branch on codes, so a code an operation neither documents in its `errors` nor
 * shares through COMMON_ERRORS is a contract break even when it is a well-typed error.
 */
import type { CallOutcome } from '../../../../shared/bridge';
import { COMMON_ERRORS, contract, declaresError, isOperationName } from '../../../../shared/contract';

export class ObservedCodes {
  /** Operation (or `(unknown operation)`) → codes seen. */
  private readonly seen = new Map<string, Set<string>>();

  add(op: unknown, code: string): void {
    const name = isOperationName(op) ? op : UNKNOWN_OPERATION;
    const codes = this.seen.get(name) ?? new Set<string>();
    codes.add(code);
    this.seen.set(name, codes);
  }

  /** Records the code of a failed call; successes have none. */
  addOutcome(op: unknown, outcome: CallOutcome): void {
    if (!outcome.ok) this.add(op, outcome.error.Code);
  }

  /** Distinct operation/code pairs seen. */
  get size(): number {
    let total = 0;
    for (const codes of this.seen.values()) total += codes.size;
    return total;
  }

  /** `Operation: Code` for every code seen that the operation does not declare, sorted. */
  undeclared(): string[] {
    const found: string[] = [];
    for (const [op, codes] of this.seen) {
      for (const code of codes) if (!isDeclared(op, code)) found.push(`${op}: ${code}`);
    }
    return found.sort();
  }
}

const UNKNOWN_OPERATION = '(unknown operation)';

/** A call naming no operation can only get a common code (InvalidAction, InvalidParameter…). */
function isDeclared(op: string, code: string): boolean {
  if (isOperationName(op)) return declaresError(contract[op], code);
  return (COMMON_ERRORS as readonly string[]).includes(code);
}
