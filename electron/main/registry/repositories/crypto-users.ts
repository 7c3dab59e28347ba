import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/** That a crypto user exists on a cluster's HSMs. Its password lives only in the HSMs. */
export interface CryptoUserRow {
  clusterId: string;
  userName: string;
  createdAt: string;
  updatedAt: string;
}

export interface CryptoUsersRepository {
  /** Throws RegistryConstraintError('unique') when the user already exists on the cluster. */
  insert(row: CryptoUserRow): void;
  get(clusterId: string, userName: string): CryptoUserRow | null;
  listByCluster(clusterId: string): CryptoUserRow[];
  touch(clusterId: string, userName: string, updatedAt: string): boolean;
}

const COLUMNS = 'cluster_id AS clusterId, user_name AS userName, created_at AS createdAt, updated_at AS updatedAt';

export function createCryptoUsersRepository(db: Database): CryptoUsersRepository {
  const insert = db.prepare<[CryptoUserRow]>(
    'INSERT INTO crypto_users (cluster_id, user_name, created_at, updated_at) VALUES (@clusterId, @userName, @createdAt, @updatedAt)',
  );
  const get = db.prepare<[string, string], CryptoUserRow>(`SELECT ${COLUMNS} FROM crypto_users WHERE cluster_id = ? AND user_name = ?`);
  const list = db.prepare<[string], CryptoUserRow>(`SELECT ${COLUMNS} FROM crypto_users WHERE cluster_id = ? ORDER BY user_name`);
  const touch = db.prepare<[string, string, string]>('UPDATE crypto_users SET updated_at = ? WHERE cluster_id = ? AND user_name = ?');

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (clusterId, userName) => get.get(clusterId, userName) ?? null,
    listByCluster: (clusterId) => list.all(clusterId),
    touch: (clusterId, userName, updatedAt) => touch.run(updatedAt, clusterId, userName).changes > 0,
  };
}
