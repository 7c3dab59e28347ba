import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract';
import { KmsError } from '../../../shared/errors';
import { drawPassword, passwordAlphabet, PASSWORD_CHARACTER_TYPES, randomPassword } from '../../../electron/main/services/secrets/random-password';

const options = (input: Record<string, unknown> = {}) => contract.GetRandomPassword.input.parse(input);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('passwordAlphabet', () => {
  it('takes the four types, minus excluded types and characters', () => {
    expect(passwordAlphabet(options()).characters).toHaveLength(26 + 26 + 10 + 32);
    expect(PASSWORD_CHARACTER_TYPES.punctuation).toHaveLength(32);
    const digits = passwordAlphabet(options({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '13579' }));
    expect(digits.characters.join('')).toBe('02468');
    expect(digits.requiredGroups).toEqual([['0', '2', '4', '6', '8']]);
  });

  it('drops a type that exclusions emptied from the required ones, and refuses an alphabet of fewer than two', () => {
    const alphabet = passwordAlphabet(options({ ExcludePunctuation: true, ExcludeCharacters: '0123456789' }));
    expect(alphabet.requiredGroups).toHaveLength(2);
    expect(() => passwordAlphabet(options({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: '012345678' }))).toThrow(KmsError);
  });
});

describe('drawPassword (fixed bytes)', () => {
  const tenDigits = passwordAlphabet(options({ PasswordLength: 8, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }));

  it('maps accepted bytes by modulo and rejects bytes at or above the largest multiple of the alphabet size', () => {
    // 256 % 10 = 6: bytes 250..255 would favour 0..5, so they are skipped.
    const draw = drawPassword(tenDigits, bytes(0, 1, 250, 255, 12, 23, 249, 34, 45, 56), 0);
    expect(draw).toEqual({ kind: 'done', password: '01239456', next: 10 });
  });

  it('asks for more bytes when they run out, from where the draw started', () => {
    expect(drawPassword(tenDigits, bytes(1, 2, 3), 0)).toEqual({ kind: 'short', next: 0 });
    expect(drawPassword(tenDigits, bytes(9, 9, 1, 2, 3, 4, 5, 6, 7, 8), 2)).toEqual({ kind: 'done', password: '12345678', next: 10 });
  });

  it('rejects a whole draw that misses a required type (so every valid password stays equally likely)', () => {
    const two = passwordAlphabet(options({ PasswordLength: 8, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: 'bcdefghijklmnopqrstuvwxyz123456789' }));
    expect(two.characters.join('')).toBe('a0');
    expect(drawPassword(two, bytes(0, 0, 0, 0, 0, 0, 0, 0), 0)).toEqual({ kind: 'rejected', next: 8 });
    expect(drawPassword(two, bytes(0, 1, 0, 0, 0, 0, 0, 0), 0)).toEqual({ kind: 'done', password: 'a0aaaaaa', next: 8 });
    const free = passwordAlphabet(options({ PasswordLength: 8, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: 'bcdefghijklmnopqrstuvwxyz123456789', RequireEachIncludedType: false }));
    expect(drawPassword(free, bytes(0, 0, 0, 0, 0, 0, 0, 0), 0)).toEqual({ kind: 'done', password: 'aaaaaaaa', next: 8 });
  });

  it('is uniform over every byte value: each character gets the same number of accepted bytes', () => {
    const alphabet = passwordAlphabet(options({ PasswordLength: 8 }));
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte += 1) {
      const draw = drawPassword({ ...alphabet, requiredGroups: [], length: 1 }, bytes(byte), 0);
      if (draw.kind === 'done') counts.set(draw.password, (counts.get(draw.password) ?? 0) + 1);
    }
    expect(counts.size).toBe(94);
    expect(new Set(counts.values())).toEqual(new Set([2])); // 188 of 256 bytes accepted, 2 per character
  });
});

describe('randomPassword', () => {
  it('fetches more bytes until a draw is complete and zeroes what it fetched', async () => {
    const tenDigits = passwordAlphabet(options({ PasswordLength: 8, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }));
    const handedOut: Buffer[] = [];
    const feed = [Buffer.from([255, 1, 2]), Buffer.from([3, 4, 5, 6, 7, 8, 9, 0])];
    const password = await randomPassword(tenDigits, async (length) => {
      expect(length).toBeGreaterThanOrEqual(8);
      const next = feed.shift() ?? Buffer.alloc(length);
      handedOut.push(next);
      return next;
    });
    expect(password).toBe('12345678');
    for (const buffer of handedOut) expect(buffer.every((byte) => byte === 0)).toBe(true);
  });

  it('gives up with InvalidParameter when the required types can never all appear', async () => {
    const two = passwordAlphabet(options({ PasswordLength: 8, ExcludeUppercase: true, ExcludePunctuation: true, ExcludeCharacters: 'bcdefghijklmnopqrstuvwxyz123456789' }));
    await expect(randomPassword(two, async (length) => Buffer.alloc(length))).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});
