import { describe, expect, it } from 'vitest';
import {
  checkScryptParameters,
  DEFAULT_SCRYPT,
  deriveBackupKeys,
  expectManifestSignature,
  expectPasswordCheck,
  manifestSignature,
  passwordCheckValue,
  wipeBackupKeys,
} from '../../../electron/main/services/backup/backup-keys';
import { KmsError } from '../../../shared/errors';

/** The cheapest parameters a backup may carry: enough to test the derivation quickly. */
const CHEAP = { N: 2 ** 14, R: 8, P: 1 };
const SALT = Buffer.alloc(32, 7);

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof KmsError ? error.code : `not a KmsError: ${String(error)}`;
  }
}

describe('backup key derivation limits', () => {
  it('accepts the default and the edges of what a backup may ask for', () => {
    for (const parameters of [DEFAULT_SCRYPT, CHEAP, { N: 2 ** 20, R: 8, P: 1 }, { N: 2 ** 14, R: 32, P: 1 }, { N: 2 ** 14, R: 8, P: 16 }]) {
      expect(checkScryptParameters(parameters), JSON.stringify(parameters)).toBeNull();
    }
  });

  it('refuses each parameter outside its range, and values that are not whole numbers', () => {
    const refused = [
      { N: 2 ** 13, R: 8, P: 1 },
      { N: 2 ** 21, R: 8, P: 1 },
      { N: 3 * 2 ** 15, R: 8, P: 1 },
      { N: 0, R: 8, P: 1 },
      { N: -(2 ** 16), R: 8, P: 1 },
      { N: Number.NaN, R: 8, P: 1 },
      { N: Number.POSITIVE_INFINITY, R: 8, P: 1 },
      { N: 2 ** 16, R: 0, P: 1 },
      { N: 2 ** 16, R: 33, P: 1 },
      { N: 2 ** 16, R: 8.5, P: 1 },
      { N: 2 ** 16, R: 8, P: 0 },
      { N: 2 ** 16, R: 8, P: 17 },
      { N: 2 ** 16, R: 8, P: Number.NaN },
    ];
    for (const parameters of refused) expect(checkScryptParameters(parameters), JSON.stringify(parameters)).not.toBeNull();
  });

  it('refuses combinations that each stay in range but together would take gigabytes or minutes', () => {
    // 128 * N * r bytes: 4 GiB for N = 2^20, r = 32; p multiplies the time on top.
    expect(checkScryptParameters({ N: 2 ** 20, R: 32, P: 1 })).not.toBeNull();
    expect(checkScryptParameters({ N: 2 ** 20, R: 32, P: 16 })).not.toBeNull();
    expect(checkScryptParameters({ N: 2 ** 20, R: 16, P: 1 })).not.toBeNull();
    expect(checkScryptParameters({ N: 2 ** 19, R: 16, P: 1 })).toBeNull(); // 1 GiB, as much as 2^20 with r = 8
    expect(checkScryptParameters({ N: 2 ** 20, R: 8, P: 16 })).not.toBeNull();
  });
});

describe('backup keys', () => {
  it('derives the same three distinct keys from the same password and salt, and others from another', async () => {
    const first = await deriveBackupKeys('correct horse battery', SALT, CHEAP);
    const again = await deriveBackupKeys('correct horse battery', SALT, CHEAP);
    const otherSalt = await deriveBackupKeys('correct horse battery', Buffer.alloc(32, 8), CHEAP);
    const otherPassword = await deriveBackupKeys('correct horse batterz', SALT, CHEAP);
    expect(first.encryption.equals(again.encryption) && first.mac.equals(again.mac) && first.check.equals(again.check)).toBe(true);
    expect(new Set([first.encryption, first.mac, first.check].map((key) => key.toString('hex'))).size).toBe(3);
    expect([first.encryption, first.mac, first.check].every((key) => key.length === 32)).toBe(true);
    expect(otherSalt.encryption.equals(first.encryption)).toBe(false);
    expect(otherPassword.encryption.equals(first.encryption)).toBe(false);
  });

  it('tells a wrong password by the check value, and an altered manifest by its signature', async () => {
    const keys = await deriveBackupKeys('correct horse battery', SALT, CHEAP);
    const wrong = await deriveBackupKeys('correct horse batterz', SALT, CHEAP);
    const check = passwordCheckValue(keys);
    expect(codeOf(() => expectPasswordCheck(keys, check))).toBeNull();
    expect(codeOf(() => expectPasswordCheck(wrong, check))).toBe('IncorrectBackupPassword');
    expect(codeOf(() => expectPasswordCheck(keys, check.subarray(0, 31)))).toBe('IncorrectBackupPassword');
    expect(codeOf(() => expectPasswordCheck(keys, Buffer.alloc(0)))).toBe('IncorrectBackupPassword');

    const manifest = JSON.stringify({ SchemaVersion: 9, Counts: { Keys: 3 } });
    const signature = manifestSignature(keys, manifest);
    expect(codeOf(() => expectManifestSignature(keys, manifest, signature))).toBeNull();
    expect(codeOf(() => expectManifestSignature(keys, manifest.replace('3', '4'), signature))).toBe('InvalidBackup.Corrupted');
    expect(codeOf(() => expectManifestSignature(keys, manifest, Buffer.concat([signature, Buffer.from([0])])))).toBe('InvalidBackup.Corrupted');
  });

  it('wipes the keys it was given', async () => {
    const keys = await deriveBackupKeys('correct horse battery', SALT, CHEAP);
    wipeBackupKeys(keys);
    expect([keys.encryption, keys.mac, keys.check].every((key) => key.every((byte) => byte === 0))).toBe(true);
  });
});
