import { passwordSchema } from '../../../shared/contract/primitives';

/** The key store password policy, as the contract enforces it. */
export const PASSWORD_POLICY_TEXT = '8-64 characters, at least one letter and one digit, printable ASCII without spaces.';

/** Problems of a new password (empty list: acceptable), in the contract's own words. */
export function passwordProblems(password: string): string[] {
  const result = passwordSchema.safeParse(password);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.message))];
}
