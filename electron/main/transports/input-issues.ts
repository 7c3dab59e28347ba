import type { z } from 'zod';

/**
 * A one-line description of the first schema problem, naming the field and the rule but never
 * echoing the value (it may be a password or plaintext).
 */
export function describeInputIssue(error: z.ZodError): { message: string; missing: boolean } {
  const issue = error.issues[0];
  if (!issue) return { message: 'The input is invalid.', missing: false };
  const path = issue.path.map(String).join('.') || '(input)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map(echoableName);
    return { message: `Unknown parameter(s): ${keys.join(', ')}.`, missing: false };
  }
  // zod reports a missing field as an invalid_type whose received type is undefined.
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  if (missing) return { message: `${path} is required.`, missing: true };
  return { message: `${path}: ${issue.message}`, missing: false };
}

/**
 * Parameter names hold no digits and passwords must: a "name" with a digit (or anything else
 * unusual) may be a misplaced secret, so it is not echoed.
 */
export function echoableName(name: string): string {
  return /^[A-Za-z_-]{1,64}$/.test(name) ? name : '(a name that is not a parameter)';
}
