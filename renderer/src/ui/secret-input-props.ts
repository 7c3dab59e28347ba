import type { InputHTMLAttributes } from 'vue';
import { inputProps } from './input-props';

/**
 * `input-props` for a field that holds a secret value: no autofill or password-manager offer, no
 * spell checker (which may send words elsewhere), no autocorrection of what the officer typed.
 */
export function secretValueInputProps(testId: string, label: string): InputHTMLAttributes {
  return inputProps(testId, { 'aria-label': label, autocomplete: 'off', spellcheck: false, autocapitalize: 'off', autocorrect: 'off' } as InputHTMLAttributes);
}
