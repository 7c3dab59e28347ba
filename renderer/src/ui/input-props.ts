import type { InputHTMLAttributes } from 'vue';

/**
 * `input-props` for a Naive UI input: puts the test id (and label id, autocomplete…) on the native
 * <input>/<textarea>, where Playwright fills and reads it. Vue's attribute types have no data-* keys.
 */
export function inputProps(testId: string, attrs: InputHTMLAttributes = {}): InputHTMLAttributes {
  return { ...attrs, ...({ 'data-testid': testId } as InputHTMLAttributes) };
}

/** Password fields: never offered to a password manager or autofill. */
export function passwordInputProps(testId: string, id: string): InputHTMLAttributes {
  return inputProps(testId, { id, autocomplete: 'off' });
}
