import type { Database } from 'better-sqlite3';
import type { SecretDataType } from '../../../../shared/contract';
import { translateConstraint } from '../errors';

/** One version of a secret: its value sealed under its own data key, that key wrapped under the CMK. */
export interface SecretVersionRow {
  secretId: string;
  versionId: string;
  /** Creation order within the secret (1, 2, ...). */
  sequence: number;
  dataType: SecretDataType;
  /** The data key, sealed inside the HSM under the secret's CMK (a Keyward ciphertext blob). */
  wrappedKey: Buffer;
  /** IV (12) || AES-256-GCM ciphertext || tag (16). */
  sealedValue: Buffer;
  createdAt: string;
}

/** A version without its blobs, for lists. */
export type SecretVersionInfo = Omit<SecretVersionRow, 'wrappedKey' | 'sealedValue'>;

export interface SecretStageRow {
  stage: string;
  versionId: string;
}

export interface SecretVersionsRepository {
  /** Throws RegistryConstraintError: 'unique' for a version id (or sequence) the secret has, 'foreignKey' for an unknown secret. */
  insert(row: SecretVersionRow): void;
  get(secretId: string, versionId: string): SecretVersionRow | null;
  /** Newest first, without blobs. */
  listBySecret(secretId: string): SecretVersionInfo[];
  /** Every version with its blobs, newest first (re-wrapping under a new CMK). */
  listWithBlobs(secretId: string): SecretVersionRow[];
  /** The sequence the next version of the secret gets. */
  nextSequence(secretId: string): number;
  updateWrappedKey(secretId: string, versionId: string, wrappedKey: Buffer): boolean;
  /** Every stage of the secret, sorted by stage. */
  stages(secretId: string): SecretStageRow[];
  /** Puts the stage on the version (moving it from wherever it was). */
  setStage(secretId: string, stage: string, versionId: string): void;
  removeStage(secretId: string, stage: string): boolean;
  /** Destroys versions without a stage beyond the newest `keep` of them; returns their ids. */
  pruneUnstaged(secretId: string, keep: number): string[];
}

const INFO_COLUMNS = 'secret_id AS secretId, version_id AS versionId, sequence, data_type AS dataType, created_at AS createdAt';
const ALL_COLUMNS = `${INFO_COLUMNS}, wrapped_key AS wrappedKey, sealed_value AS sealedValue`;

export function createSecretVersionsRepository(db: Database): SecretVersionsRepository {
  const insert = db.prepare<[SecretVersionRow]>(
    `INSERT INTO secret_versions (secret_id, version_id, sequence, data_type, wrapped_key, sealed_value, created_at)
     VALUES (@secretId, @versionId, @sequence, @dataType, @wrappedKey, @sealedValue, @createdAt)`,
  );
  const get = db.prepare<[string, string], SecretVersionRow>(`SELECT ${ALL_COLUMNS} FROM secret_versions WHERE secret_id = ? AND version_id = ?`);
  const listBySecret = db.prepare<[string], SecretVersionInfo>(`SELECT ${INFO_COLUMNS} FROM secret_versions WHERE secret_id = ? ORDER BY sequence DESC`);
  const listWithBlobs = db.prepare<[string], SecretVersionRow>(`SELECT ${ALL_COLUMNS} FROM secret_versions WHERE secret_id = ? ORDER BY sequence DESC`);
  const maxSequence = db.prepare<[string], { sequence: number | null }>('SELECT max(sequence) AS sequence FROM secret_versions WHERE secret_id = ?');
  const updateWrappedKey = db.prepare<[Buffer, string, string]>('UPDATE secret_versions SET wrapped_key = ? WHERE secret_id = ? AND version_id = ?');
  const stages = db.prepare<[string], SecretStageRow>('SELECT stage, version_id AS versionId FROM secret_version_stages WHERE secret_id = ? ORDER BY stage');
  const setStage = db.prepare<[string, string, string]>(
    `INSERT INTO secret_version_stages (secret_id, stage, version_id) VALUES (?, ?, ?)
     ON CONFLICT (secret_id, stage) DO UPDATE SET version_id = excluded.version_id`,
  );
  const removeStage = db.prepare<[string, string]>('DELETE FROM secret_version_stages WHERE secret_id = ? AND stage = ?');
  const unstagedBeyond = db.prepare<[string, number], { versionId: string }>(
    `SELECT version_id AS versionId FROM secret_versions v
      WHERE v.secret_id = ?
        AND NOT EXISTS (SELECT 1 FROM secret_version_stages g WHERE g.secret_id = v.secret_id AND g.version_id = v.version_id)
      ORDER BY v.sequence DESC LIMIT -1 OFFSET ?`,
  );
  const removeVersion = db.prepare<[string, string]>('DELETE FROM secret_versions WHERE secret_id = ? AND version_id = ?');

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (secretId, versionId) => get.get(secretId, versionId) ?? null,
    listBySecret: (secretId) => listBySecret.all(secretId),
    listWithBlobs: (secretId) => listWithBlobs.all(secretId),
    nextSequence: (secretId) => (maxSequence.get(secretId)?.sequence ?? 0) + 1,
    updateWrappedKey: (secretId, versionId, wrappedKey) => updateWrappedKey.run(wrappedKey, secretId, versionId).changes > 0,
    stages: (secretId) => stages.all(secretId),
    setStage: (secretId, stage, versionId) => {
      translateConstraint(() => setStage.run(secretId, stage, versionId));
    },
    removeStage: (secretId, stage) => removeStage.run(secretId, stage).changes > 0,
    pruneUnstaged: (secretId, keep) => {
      const doomed = unstagedBeyond.all(secretId, keep).map((row) => row.versionId);
      for (const versionId of doomed) removeVersion.run(secretId, versionId);
      return doomed;
    },
  };
}
