import { aliasNameSchema } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/keys';

/** Every alias name starts so; the console shows it fixed and the officer types the rest. */
export const ALIAS_PREFIX = 'alias/';

/** The alias name for what the officer typed after the fixed prefix (a pasted full name is kept as it is). */
export function fullAliasName(typed: string): string {
  const name = typed.trim();
  return name.startsWith(ALIAS_PREFIX) ? name : `${ALIAS_PREFIX}${name}`;
}

/** Why the contract would refuse this alias name ('' when it would not): the contract's schema, not a copy of it. */
export function aliasNameProblem(aliasName: string): string {
  const checked = aliasNameSchema.safeParse(aliasName);
  if (checked.success) return '';
  const issue = checked.error.issues[0];
  if (issue?.code === 'too_small') return t('keys.aliasName.tooShort');
  if (issue?.code === 'too_big') return t('keys.aliasName.tooLong');
  return t('keys.aliasName.invalid');
}
