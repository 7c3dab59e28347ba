import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { toFlag } from '../sql';

export type ClusterState = 'UNINITIALIZED' | 'INITIALIZED' | 'ACTIVE' | 'DEGRADED';

export interface ClusterRow {
  id: string;
  name: string;
  description: string;
  state: ClusterState;
  /** A single-HSM lab cluster: activation without a second zone, and shown as such everywhere. */
  allowSingleHsm: boolean;
  ownerCertificatePem: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ClusterPatch = Partial<Pick<ClusterRow, 'name' | 'description' | 'state' | 'ownerCertificatePem'>>;

export interface ClustersRepository {
  /** Throws RegistryConstraintError('unique') on a duplicate id or name. */
  insert(row: ClusterRow): void;
  get(id: string): ClusterRow | null;
  list(): ClusterRow[];
  update(id: string, patch: ClusterPatch, updatedAt: string): boolean;
  /** Cascades to its HSMs and crypto users. */
  delete(id: string): boolean;
}

type StoredCluster = Omit<ClusterRow, 'allowSingleHsm'> & { allowSingleHsm: number };

const COLUMNS = `id, name, description, state, allow_single_hsm AS allowSingleHsm,
  owner_certificate_pem AS ownerCertificatePem, created_at AS createdAt, updated_at AS updatedAt`;

const PATCH_COLUMNS: Record<keyof ClusterPatch, string> = {
  name: 'name',
  description: 'description',
  state: 'state',
  ownerCertificatePem: 'owner_certificate_pem',
};

function fromStored(row: StoredCluster): ClusterRow {
  return { ...row, allowSingleHsm: row.allowSingleHsm === 1 };
}

export function createClustersRepository(db: Database): ClustersRepository {
  const insert = db.prepare<[StoredCluster]>(
    `INSERT INTO clusters (id, name, description, state, allow_single_hsm, owner_certificate_pem, created_at, updated_at)
     VALUES (@id, @name, @description, @state, @allowSingleHsm, @ownerCertificatePem, @createdAt, @updatedAt)`,
  );
  const get = db.prepare<[string], StoredCluster>(`SELECT ${COLUMNS} FROM clusters WHERE id = ?`);
  const list = db.prepare<[], StoredCluster>(`SELECT ${COLUMNS} FROM clusters ORDER BY created_at, id`);
  const remove = db.prepare<[string]>('DELETE FROM clusters WHERE id = ?');

  return {
    insert: (row) => {
      translateConstraint(() => insert.run({ ...row, allowSingleHsm: toFlag(row.allowSingleHsm) }));
    },
    get: (id) => {
      const row = get.get(id);
      return row ? fromStored(row) : null;
    },
    list: () => list.all().map(fromStored),
    update: (id, patch, updatedAt) => {
      const fields = (Object.keys(PATCH_COLUMNS) as (keyof ClusterPatch)[]).filter((field) => patch[field] !== undefined);
      const sql = `UPDATE clusters SET ${[...fields.map((field) => `${PATCH_COLUMNS[field]} = ?`), 'updated_at = ?'].join(', ')} WHERE id = ?`;
      const values = fields.map((field) => patch[field] ?? null);
      return translateConstraint(() => db.prepare(sql).run(...values, updatedAt, id).changes > 0);
    },
    delete: (id) => translateConstraint(() => remove.run(id).changes > 0),
  };
}
