import { createHash } from 'node:crypto';
import { contract, type OperationName } from '../../../../shared/contract';
import { canonicalJson } from '../../registry/canonical-json';

/** The parsed input without the operation's secret fields: what approvers see and sign. */
export function approvableInput(operation: OperationName, input: Record<string, unknown>): Record<string, unknown> {
  const secrets: readonly string[] = contract[operation].secretFields;
  return Object.fromEntries(Object.entries(input).filter(([field, value]) => !secrets.includes(field) && value !== undefined));
}

/** SHA-256 (hex) of the canonical JSON (RFC 8785 for these values) of {Input, Operation}. */
export function requestDigest(operation: string, input: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ Operation: operation, Input: input })).digest('hex');
}
