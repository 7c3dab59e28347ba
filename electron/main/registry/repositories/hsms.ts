import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

export type HsmState = 'UNINITIALIZED' | 'INITIALIZED';

/** One member token of a cluster. */
export interface HsmRow {
  id: string;
  clusterId: string;
  moduleId: string;
  /** Known from the start for an initialized token, set by InitializeCluster otherwise. */
  tokenSerial: string | null;
  slotId: number | null;
  zone: string;
  label: string;
  state: HsmState;
  /** Order of addition; the first member holds the cluster owner key. */
  position: number;
  createdAt: string;
  updatedAt: string;
}

export type HsmPatch = Partial<Pick<HsmRow, 'tokenSerial' | 'slotId' | 'label' | 'state'>>;

export interface HsmsRepository {
  /** Throws RegistryConstraintError('unique') when the token already belongs to a cluster. */
  insert(row: HsmRow): void;
  get(id: string): HsmRow | null;
  /** Members in order of addition. */
  listByCluster(clusterId: string): HsmRow[];
  countByModule(moduleId: string): number;
  update(id: string, patch: HsmPatch, updatedAt: string): boolean;
  delete(id: string): boolean;
}

const COLUMNS = `id, cluster_id AS clusterId, module_id AS moduleId, token_serial AS tokenSerial, slot_id AS slotId,
  zone, label, state, position, created_at AS createdAt, updated_at AS updatedAt`;

const PATCH_COLUMNS: Record<keyof HsmPatch, string> = {
  tokenSerial: 'token_serial',
  slotId: 'slot_id',
  label: 'label',
  state: 'state',
};

export function createHsmsRepository(db: Database): HsmsRepository {
  const insert = db.prepare<[HsmRow]>(
    `INSERT INTO hsms (id, cluster_id, module_id, token_serial, slot_id, zone, label, state, position, created_at, updated_at)
     VALUES (@id, @clusterId, @moduleId, @tokenSerial, @slotId, @zone, @label, @state, @position, @createdAt, @updatedAt)`,
  );
  const get = db.prepare<[string], HsmRow>(`SELECT ${COLUMNS} FROM hsms WHERE id = ?`);
  const listByCluster = db.prepare<[string], HsmRow>(`SELECT ${COLUMNS} FROM hsms WHERE cluster_id = ? ORDER BY position, id`);
  const countByModule = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM hsms WHERE module_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM hsms WHERE id = ?');

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (id) => get.get(id) ?? null,
    listByCluster: (clusterId) => listByCluster.all(clusterId),
    countByModule: (moduleId) => countByModule.get(moduleId)?.count ?? 0,
    update: (id, patch, updatedAt) => {
      const fields = (Object.keys(PATCH_COLUMNS) as (keyof HsmPatch)[]).filter((field) => patch[field] !== undefined);
      const sql = `UPDATE hsms SET ${[...fields.map((field) => `${PATCH_COLUMNS[field]} = ?`), 'updated_at = ?'].join(', ')} WHERE id = ?`;
      const values = fields.map((field) => patch[field] ?? null);
      return translateConstraint(() => db.prepare(sql).run(...values, updatedAt, id).changes > 0);
    },
    delete: (id) => translateConstraint(() => remove.run(id).changes > 0),
  };
}
