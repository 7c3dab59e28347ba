import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { KmsError } from '../../../../shared/errors';

/**
 * The keys of one backup, derived from its password with scrypt (memory-hard, in OpenSSL through
 * node:crypto, off the main thread). One 96-byte derivation gives three independent keys: the
 * payload's AES-256-GCM key, the manifest's HMAC key and the password check's key.
 */
export interface ScryptParameters {
  N: number;
  R: number;
  P: number;
}

/** 128 MiB and about half a second here: each guess at a stolen backup costs an attacker as much. */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 17, R: 8, P: 1 };

/**
 * What a backup file may ask for: anything outside is refused before any work (a crafted file must
 * not eat the machine). Each parameter alone is not enough: N = 2^20 with r = 32 asks for 4 GiB, and
 * p multiplies the time. So scrypt's memory (128·N·r bytes) is capped at 1 GiB and its work (N·r·p)
 * at 16 times the default's.
 */
const LIMITS = { minLogN: 14, maxLogN: 20, maxR: 32, maxP: 16, maxMemoryBytes: 2 ** 30, maxWork: 16 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.R * DEFAULT_SCRYPT.P };

export interface BackupKeys {
  encryption: Buffer;
  mac: Buffer;
  check: Buffer;
}

const PASSWORD_CHECK_LABEL = 'keyward-backup-password-check-v1';

export function checkScryptParameters(parameters: ScryptParameters): string | null {
  const logN = Math.log2(parameters.N);
  if (!Number.isInteger(logN) || logN < LIMITS.minLogN || logN > LIMITS.maxLogN) return `scrypt N must be a power of two between 2^${LIMITS.minLogN} and 2^${LIMITS.maxLogN}`;
  if (!Number.isInteger(parameters.R) || parameters.R < 1 || parameters.R > LIMITS.maxR) return `scrypt r must be 1-${LIMITS.maxR}`;
  if (!Number.isInteger(parameters.P) || parameters.P < 1 || parameters.P > LIMITS.maxP) return `scrypt p must be 1-${LIMITS.maxP}`;
  if (128 * parameters.N * parameters.R > LIMITS.maxMemoryBytes) return `scrypt N·r must not ask for more than ${LIMITS.maxMemoryBytes / 2 ** 20} MiB`;
  if (parameters.N * parameters.R * parameters.P > LIMITS.maxWork) return `scrypt N·r·p must be at most ${LIMITS.maxWork}`;
  return null;
}

export function deriveBackupKeys(password: string, salt: Buffer, parameters: ScryptParameters): Promise<BackupKeys> {
  const secret = Buffer.from(password, 'utf8');
  const maxmem = 128 * parameters.N * parameters.R * parameters.P + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 96, { N: parameters.N, r: parameters.R, p: parameters.P, maxmem }, (error, derived) => {
      secret.fill(0);
      if (error) {
        reject(error);
        return;
      }
      const keys = { encryption: Buffer.from(derived.subarray(0, 32)), mac: Buffer.from(derived.subarray(32, 64)), check: Buffer.from(derived.subarray(64, 96)) };
      derived.fill(0);
      resolve(keys);
    });
  });
}

export function wipeBackupKeys(keys: BackupKeys): void {
  keys.encryption.fill(0);
  keys.mac.fill(0);
  keys.check.fill(0);
}

export function passwordCheckValue(keys: BackupKeys): Buffer {
  return createHmac('sha256', keys.check).update(PASSWORD_CHECK_LABEL).digest();
}

export function manifestSignature(keys: BackupKeys, manifestJson: string): Buffer {
  return createHmac('sha256', keys.mac).update(manifestJson, 'utf8').digest();
}

/** Throws IncorrectBackupPassword unless `given` is this password's check value. */
export function expectPasswordCheck(keys: BackupKeys, given: Buffer): void {
  const expected = passwordCheckValue(keys);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new KmsError('IncorrectBackupPassword', 'The password does not open this backup.');
  }
}

/** Throws InvalidBackup.Corrupted unless the manifest carries its signature. */
export function expectManifestSignature(keys: BackupKeys, manifestJson: string, given: Buffer): void {
  const expected = manifestSignature(keys, manifestJson);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new KmsError('InvalidBackup.Corrupted', 'The backup’s manifest does not match its signature: the file was altered.');
  }
}

export function newSalt(): Buffer {
  return randomBytes(32);
}
