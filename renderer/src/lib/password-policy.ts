import { passwordSchema } from '../../../shared/contract/primitives';
import { t } from '../i18n';
import '../i18n/areas/clusters';

/** The key store password policy, as the contract enforces it, in the console's language. */
export function passwordPolicyText(): string {
  return t('clusters.passwordPolicy.text');
}

/**
 * @deprecated Read once, in the language of the moment this module loaded: use passwordPolicyText()
 * where the text is shown, so it follows a change of language.
 */
export const PASSWORD_POLICY_TEXT = passwordPolicyText();

/** The contract's own messages (shared/contract/primitives.ts), by the catalogue key that says them. */
const PROBLEM_KEYS: Readonly<Record<string, string>> = {
  'must be 8-64 characters': 'clusters.passwordPolicy.length',
  'must contain a letter': 'clusters.passwordPolicy.letter',
  'must contain a digit': 'clusters.passwordPolicy.digit',
  'must be printable ASCII without spaces': 'clusters.passwordPolicy.printable',
};

/** Problems of a new password (empty list: acceptable), in the contract's own words. */
export function passwordProblems(password: string): string[] {
  const result = passwordSchema.safeParse(password);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.message))].map((message) => {
    const key = PROBLEM_KEYS[message];
    return key ? t(key) : message;
  });
}
