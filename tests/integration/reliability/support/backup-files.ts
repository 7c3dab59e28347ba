/**
 * What the backup fault and crash suites share: taking a made backup out of a core, reading one
 * back whole with its password, writing a crafted one (a "newer Keyward's" backup is a real one
 * re-written with another manifest, re-signed with the same password), and what "the target data
 * directory was not touched" means.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupManifest } from '../../../../shared/contract';
import { openBackupFile, writeBackupFile } from '../../../../electron/main/services/backup/backup-file';
import type { PayloadEntry } from '../../../../electron/main/services/backup/backup-frames';
import { deriveBackupKeys, newSalt, wipeBackupKeys, type ScryptParameters } from '../../../../electron/main/services/backup/backup-keys';
import type { Core } from '../../../../electron/main/app/core-types';
import { snapshotState, type StateSnapshot } from './state-snapshot';

/** Copies the backup a CreateBackup made out of the core's exchange (taken once, as a transport would). */
export function takeBackupFile(core: Core, backupId: string, target: string): string {
  const outgoing = core.files.takeOutgoing(backupId);
  if (!outgoing) throw new Error(`no outgoing file for ${backupId}`);
  copyFileSync(outgoing.path, target);
  core.files.release(outgoing.path);
  return target;
}

export interface PayloadFile {
  name: string;
  content: Buffer;
}

/** The manifest and every payload file of a backup, read (and authenticated) with its password. */
export async function readBackupWhole(file: string, password: string): Promise<{ manifest: BackupManifest; files: PayloadFile[] }> {
  const opened = await openBackupFile(file);
  const { N, R, P } = opened.manifest.Kdf;
  const keys = await deriveBackupKeys(password, opened.salt, { N, R, P });
  const files: PayloadFile[] = [];
  try {
    await opened.read(keys, {
      open: (name) => {
        const file: PayloadFile = { name, content: Buffer.alloc(0) };
        files.push(file);
        return Promise.resolve({
          write: (chunk) => {
            file.content = Buffer.concat([file.content, chunk]);
            return Promise.resolve();
          },
          close: () => Promise.resolve(),
        });
      },
    });
  } finally {
    wipeBackupKeys(keys);
  }
  return { manifest: opened.manifest, files };
}

/**
 * Writes a well-formed, correctly signed backup of `files` under `manifest` (its Files list is made
 * to match). `derive` gives the scrypt cost actually used, which may differ from the manifest's Kdf
 * when a test wants a file that asks for more than this Keyward allows.
 */
export async function writeCraftedBackup(
  target: string,
  options: { manifest: BackupManifest; files: readonly PayloadFile[]; password: string; derive?: ScryptParameters },
): Promise<string> {
  const salt = newSalt();
  const derive = options.derive ?? { N: options.manifest.Kdf.N, R: options.manifest.Kdf.R, P: options.manifest.Kdf.P };
  const keys = await deriveBackupKeys(options.password, salt, derive);
  const manifest: BackupManifest = { ...options.manifest, Files: options.files.map(({ name, content }) => ({ Name: name, Size: content.length })) };
  async function* entries(): AsyncGenerator<PayloadEntry> {
    for (const { name, content } of options.files) {
      yield {
        name,
        size: content.length,
        read: async function* () {
          yield content;
        },
      };
    }
  }
  try {
    await writeBackupFile(target, { manifest, keys, salt, entries: entries() });
  } finally {
    wipeBackupKeys(keys);
  }
  return target;
}

/** Byte offsets of a backup file's parts, read from its own length fields. */
export function backupLayout(file: string): { size: number; headerStart: number; headerEnd: number; trailerStart: number } {
  const bytes = readFileSync(file);
  const magic = 'KEYWARD-BACKUP\n'.length;
  const headerEnd = magic + 4 + bytes.readUInt32BE(magic);
  return { size: bytes.length, headerStart: magic + 4, headerEnd, trailerStart: bytes.length - (16 + 8 + 32 + 8) };
}

function relativeFiles(dir: string, under = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? relativeFiles(full, under) : [path.relative(under, full)];
  });
}

export interface DataDirState {
  /** Every file but the exchange (emptied at start, a transport's business) and SQLite's WAL/SHM (come and go with checkpoints). */
  files: string[];
  state: StateSnapshot;
  auditRecords: number;
}

/** The data directory as a refused restore must leave it (the audit log may gain its FAILURE records). */
export function dataDirState(dataDir: string): DataDirState {
  const files = relativeFiles(dataDir)
    .filter((file) => !file.startsWith(`exchange${path.sep}`) && !/registry\.sqlite-(wal|shm)$/.test(file) && !file.endsWith('.lock'))
    .sort();
  return { files, state: snapshotState(dataDir), auditRecords: auditRows(dataDir).length };
}

export interface AuditRow {
  sequence: number;
  operation: string;
  outcome: string;
  error_code: string | null;
  details_json: string;
  resource_id: string;
}

export function auditRows(dataDir: string, afterSequence = 0): AuditRow[] {
  const db = new Database(path.join(dataDir, 'registry.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[number], AuditRow>('SELECT sequence, operation, outcome, error_code, details_json, resource_id FROM audit_events WHERE sequence > ? ORDER BY sequence')
      .all(afterSequence);
  } finally {
    db.close();
  }
}

export function hasRestoreStaging(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'restore-staging'));
}

const CKA_CLASS_OFFSET = 8;

/**
 * CKA_CLASS of every object file of the default key store's token(s): SoftHSM2's file store keeps
 * an 8-byte generation counter, then the attributes in type order, CKA_CLASS (type 0) first, each
 * as type, kind and value (8-byte big-endian numbers). 0 = data (the audit anchor), 4 = secret key.
 */
export function tokenObjectClasses(dataDir: string): number[] {
  const tokenDir = path.join(dataDir, 'softhsm', 'tokens');
  if (!existsSync(tokenDir)) return [];
  return relativeFiles(tokenDir)
    .filter((file) => file.endsWith('.object') && path.basename(file) !== 'token.object')
    .map((file) => {
      const content = readFileSync(path.join(tokenDir, file));
      if (content.readBigUInt64BE(CKA_CLASS_OFFSET) !== 0n) throw new Error(`${file} does not start with CKA_CLASS`);
      return Number(content.readBigUInt64BE(CKA_CLASS_OFFSET + 16));
    });
}
