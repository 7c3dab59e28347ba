/**
 * Tells English language from what reads the same in every language (API values, identifiers, codes,
 * product names). The i18n source check and the Chinese console spec both ask it whether a text an
 * officer sees was left in English.
 */

/** Names, codes and standards that read the same in every language. */
const NAMES = new Set([
  'Keyward', 'kmsuser', 'openssl', 'SoftHSM2', 'SoftHSM', 'p11-kit', 'pkcs11-tool', 'kms', 'npm', 'Chromium',
  'Playwright', 'OpenSC', 'YubiKey', 'YubiHSM', 'Alibaba', 'Cloud', 'AWS', 'SDK', 'v1', 'https', 'http', 'UTC',
  // Key and secret states as the API returns them (shared/contract/enums.ts, secrets.ts).
  'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport',
  'M-of-N',
]);

/** A word that is an API value, an identifier or a name rather than language. */
export function isVerbatimWord(word: string): boolean {
  // Sentence punctuation off; the marks that make an identifier (/ _ . @ = -) stay.
  const bare = word.replace(/^[("'“‘«]+|[)"'”’»,;:!?…]+$|\.$/g, '');
  if (bare === '' || !/\p{L}/u.test(bare)) return true;
  if (NAMES.has(bare)) return true;
  if (/^--?[A-Za-z]/.test(bare)) return true; // command-line options: --FromSequence
  if (/^[A-Z0-9_#./:-]+$/.test(bare)) return true; // AES_256, HSM, PKCS#11, SHA-256, ENABLED
  if (/^[A-Z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+$/.test(bare)) return true; // CreateKey, KeyId, SoftHSM2
  if (/[/_.@=]|\d/.test(bare) && !/\s/.test(bare)) return true; // alias/x, file.json, key_id, p256, purpose=backup
  if (/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(bare)) return true; // camelCase identifiers
  if (/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(bare)) return true; // kebab-case ids: kst-default, root-signing-key
  if (/^\p{Script=Han}/u.test(bare)) return true;
  return false;
}

/** Words apart: at spaces, and at Chinese characters and punctuation (“ID、别名” holds the word ID). */
const WORD_BREAK = /[\s\p{Script=Han}\u3000-\u303f\uff00-\uffef]+/u;

export function isLanguage(text: string): boolean {
  return text.split(WORD_BREAK).some((word) => !isVerbatimWord(word));
}

/** Two or more words of language: what a script literal must have to count as shown text. */
export function isProse(text: string): boolean {
  // A command line an officer copies (openssl, kms, …) is code in every language.
  if (/^\s*(openssl|kms|pkcs11-tool|softhsm2-util|cat|base64|aws|curl)\s/.test(text)) return false;
  const words = text.split(/\s+/).filter((word) => /^[("'«]?[A-Za-z][a-z]+[)"'».,:;!?…]*$/.test(word) && !isVerbatimWord(word));
  return words.length >= 2;
}
