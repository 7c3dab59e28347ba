import type { ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/** The character types of GetRandomPassword, as in Secrets Manager (punctuation: printable ASCII symbols). */
export const PASSWORD_CHARACTER_TYPES = {
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  numbers: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
} as const;

/** What a password is drawn from: every allowed character, and the types each password must show. */
export interface PasswordAlphabet {
  characters: readonly string[];
  /** Included types that still have characters; with RequireEachIncludedType each must appear. */
  requiredGroups: readonly (readonly string[])[];
  length: number;
}

export type PasswordDraw =
  | { kind: 'done'; password: string; next: number }
  /** A complete draw that missed a required type: drawn again, so every valid password stays equally likely. */
  | { kind: 'rejected'; next: number }
  /** The bytes ran out before the password was complete: more are needed from `next` on. */
  | { kind: 'short'; next: number };

/** Attempts before giving up on RequireEachIncludedType (reached only when exclusions leave a type almost empty). */
const MAX_ATTEMPTS = 1000;

export function passwordAlphabet(input: ParsedInput<'GetRandomPassword'>): PasswordAlphabet {
  const excluded = new Set(Array.from(input.ExcludeCharacters ?? ''));
  const types = [
    [input.ExcludeLowercase, PASSWORD_CHARACTER_TYPES.lowercase],
    [input.ExcludeUppercase, PASSWORD_CHARACTER_TYPES.uppercase],
    [input.ExcludeNumbers, PASSWORD_CHARACTER_TYPES.numbers],
    [input.ExcludePunctuation, PASSWORD_CHARACTER_TYPES.punctuation],
  ] as const;
  const groups = types
    .filter(([exclude]) => !exclude)
    .map(([, characters]) => Array.from(characters).filter((character) => !excluded.has(character)))
    .filter((group) => group.length > 0);
  const characters = groups.flat();
  if (characters.length < 2) throw new KmsError('InvalidParameter', 'The exclusions leave fewer than two characters to draw a password from.');
  return { characters, requiredGroups: input.RequireEachIncludedType ? groups : [], length: input.PasswordLength };
}

/**
 * Draws one password from `bytes` starting at `offset`, by rejection sampling: a byte is used only
 * below the largest multiple of the alphabet size, so every character is equally likely.
 */
export function drawPassword(alphabet: PasswordAlphabet, bytes: Uint8Array, offset: number): PasswordDraw {
  const size = alphabet.characters.length;
  const limit = 256 - (256 % size);
  const picked: string[] = [];
  let next = offset;
  while (picked.length < alphabet.length) {
    const byte = bytes[next];
    if (byte === undefined) return { kind: 'short', next: offset };
    next += 1;
    if (byte >= limit) continue;
    picked.push(alphabet.characters[byte % size] as string);
  }
  const complete = alphabet.requiredGroups.every((group) => picked.some((character) => group.includes(character)));
  return complete ? { kind: 'done', password: picked.join(''), next } : { kind: 'rejected', next };
}

/** A password from `random` (the HSM's generator); every random byte buffer is zeroed after use. */
export async function randomPassword(alphabet: PasswordAlphabet, random: (length: number) => Promise<Buffer>): Promise<string> {
  const batch = alphabet.length * 2 + 32;
  let pool: Buffer = Buffer.alloc(0);
  let offset = 0;
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
      const draw = drawPassword(alphabet, pool, offset);
      if (draw.kind === 'done') return draw.password;
      if (draw.kind === 'rejected') {
        attempt += 1;
        offset = draw.next;
        continue;
      }
      const fresh = await random(batch);
      const merged = Buffer.concat([pool.subarray(offset), fresh]);
      pool.fill(0);
      fresh.fill(0);
      pool = merged;
      offset = 0;
    }
  } finally {
    pool.fill(0);
  }
  throw new KmsError('InvalidParameter', 'The exclusions leave too few characters of some type to meet RequireEachIncludedType.');
}
