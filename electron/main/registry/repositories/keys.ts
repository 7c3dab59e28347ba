import type { Database } from 'better-sqlite3';
import type { KeyState } from '../../../../shared/contract';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, StatementCache, limitOffset } from '../sql';
import { refreshKeyStatistics } from '../statistics';
import { KEY_COLUMNS, KEY_FIELDS, KEY_SELECT, type KeyListRow, type KeyPatch, type KeyRow } from './key-row';
import { type KeyListFilter, SPARSE_TAG_MATCHES, keyListWhere, tagOnlyPlan } from './key-list-query';

export interface KeyListQuery extends PageRequest {
  filters?: readonly KeyListFilter[];
}

export interface KeysRepository {
  /** Throws RegistryConstraintError: 'unique' for a duplicate id, 'foreignKey' for an unknown key store. */
  insert(row: KeyRow): void;
  /** Tombstones included; check `deletedAt`. */
  get(id: string): KeyRow | null;
  /** Changes only the given fields; false when the key does not exist. */
  update(id: string, patch: KeyPatch): boolean;
  updateState(id: string, keyState: KeyState, deleteDate: string | null): boolean;
  /** Tombstones the key: it disappears from lists and counts but keeps its id reserved; its aliases and tags go. */
  markDeleted(id: string, deletedAt: string): boolean;
  /** Newest first (created_at, then id, descending), tombstones excluded, with the total match count. */
  list(query: KeyListQuery): Page<KeyListRow>;
  /** PendingDeletion keys whose delete date is at or before `now`. */
  listDueForDeletion(now: string): KeyRow[];
  /** Keys with automatic rotation enabled whose next rotation date is at or before `now`. */
  listDueForRotation(now: string): KeyRow[];
  /** Live keys with material whose MaterialExpireTime is at or before `now`. */
  listDueForMaterialExpiry(now: string): KeyRow[];
}

type StoredListRow = KeyRow & { aliasesJson: string };

const ALIASES_OF_ROW = `(SELECT json_group_array(a.alias_name ORDER BY a.alias_name) FROM aliases a WHERE a.key_id = k.id) AS aliasesJson`;

/** A bulk import can grow the table far past its statistics while the app runs; look again this often. */
const STATISTICS_CHECK_INTERVAL = 1000;

export function createKeysRepository(db: Database): KeysRepository {
  const cache = new StatementCache(db);
  let insertsSinceStatistics = 0;
  const insert = db.prepare<[KeyRow]>(
    `INSERT INTO keys (${KEY_FIELDS.map((field) => KEY_COLUMNS[field]).join(', ')})
     VALUES (${KEY_FIELDS.map((field) => `@${field}`).join(', ')})`,
  );
  const get = db.prepare<[string], KeyRow>(`SELECT ${KEY_SELECT} FROM keys k WHERE k.id = ?`);
  const updateState = db.prepare<[KeyState, string | null, string]>(
    'UPDATE keys SET key_state = ?, delete_date = ? WHERE id = ? AND deleted_at IS NULL',
  );
  const markDeleted = db.prepare<[string, string]>('UPDATE keys SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
  const dropAliases = db.prepare<[string]>('DELETE FROM aliases WHERE key_id = ?');
  const dropTags = db.prepare<[string]>('DELETE FROM tags WHERE key_id = ?');
  // A tombstone keeps no alias (the name is free again) and no tag (a Tag count reads the tags alone).
  const tombstone = db.transaction((id: string, deletedAt: string): boolean => {
    if (markDeleted.run(deletedAt, id).changes === 0) return false;
    dropAliases.run(id);
    dropTags.run(id);
    return true;
  });
  // The sweeps run every minute; their partial indexes hold only keys that can fall due.
  const dueForDeletion = db.prepare<[string], KeyRow>(
    `SELECT ${KEY_SELECT} FROM keys k INDEXED BY keys_deletion_due
     WHERE k.deleted_at IS NULL AND k.key_state = 'PendingDeletion' AND k.delete_date <= ? ORDER BY k.delete_date`,
  );
  const dueForRotation = db.prepare<[string], KeyRow>(
    `SELECT ${KEY_SELECT} FROM keys k INDEXED BY keys_rotation_due
     WHERE k.deleted_at IS NULL AND k.automatic_rotation = 'Enabled' AND k.next_rotation_date <= ? ORDER BY k.next_rotation_date`,
  );
  const dueForMaterialExpiry = db.prepare<[string], KeyRow>(
    `SELECT ${KEY_SELECT} FROM keys k INDEXED BY keys_material_expiry
     WHERE k.material_expire_time IS NOT NULL AND k.material_expire_time <= ? AND k.deleted_at IS NULL
       AND k.primary_version_id IS NOT NULL ORDER BY k.material_expire_time`,
  );
  // count(*) of a whole table is a b-tree count without reading rows; tombstones come off an index.
  const countLive = db.prepare<string[], { count: number }>(
    'SELECT (SELECT count(*) FROM keys) - (SELECT count(*) FROM keys WHERE deleted_at IS NOT NULL) AS count',
  );
  // Count and page must come from one snapshot, or a concurrent writer could make them disagree.
  const pageOf = (where: string) =>
    cache.get<(string | number)[], StoredListRow>(
      `SELECT ${KEY_SELECT}, ${ALIASES_OF_ROW} FROM keys k WHERE ${where}
       ORDER BY k.created_at DESC, k.id DESC LIMIT ? OFFSET ?`,
    );
  // Count and page must come from one snapshot, or a concurrent writer could make them disagree.
  const readPage = db.transaction((query: KeyListQuery): Page<KeyListRow> => {
    const [limit, offset] = limitOffset(query);
    const filters = query.filters ?? [];
    // How many keys carry the (first) Tag filter's tags decides how tag filters are planned.
    const tagFilter = filters.find((filter) => filter.key === 'Tag');
    const tagCountPlan = tagFilter ? tagOnlyPlan(tagFilter.values) : null;
    const tagCount = tagCountPlan ? (cache.get<string[], { count: number }>(tagCountPlan.countSql).get(...tagCountPlan.params)?.count ?? 0) : null;
    const where = keyListWhere(filters, { sparseTags: tagCount !== null && tagCount <= SPARSE_TAG_MATCHES });
    const plan = where.tagOnly;
    if (plan) {
      const totalCount = tagCount ?? 0;
      if (totalCount === 0) return { rows: [], totalCount };
      const page = pageOf(totalCount <= SPARSE_TAG_MATCHES ? plan.sparseWhere : plan.denseWhere);
      return { rows: page.all(...plan.params, limit, offset).map(toListRow), totalCount };
    }
    const count = where.unfiltered ? countLive : cache.get<string[], { count: number }>(`SELECT count(*) AS count FROM keys k WHERE ${where.sql}`);
    const totalCount = count.get(...where.params)?.count ?? 0;
    const rows = totalCount === 0 ? [] : pageOf(where.sql).all(...where.params, limit, offset).map(toListRow);
    return { rows, totalCount };
  });

  function update(id: string, patch: KeyPatch): boolean {
    const fields = KEY_FIELDS.filter((field): field is Exclude<keyof KeyRow, 'id'> => field !== 'id' && patch[field as keyof KeyPatch] !== undefined);
    if (fields.length === 0) return get.get(id) !== undefined;
    const sql = `UPDATE keys SET ${fields.map((field) => `${KEY_COLUMNS[field]} = ?`).join(', ')} WHERE id = ?`;
    const values = fields.map((field) => patch[field] ?? null);
    return translateConstraint(() => cache.get<unknown[], never>(sql).run(...values, id).changes > 0);
  }

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
      insertsSinceStatistics += 1;
    },
    get: (id) => get.get(id) ?? null,
    update,
    updateState: (id, keyState, deleteDate) => translateConstraint(() => updateState.run(keyState, deleteDate, id).changes > 0),
    markDeleted: (id, deletedAt) => tombstone(id, deletedAt),
    list: (query) => {
      if (insertsSinceStatistics >= STATISTICS_CHECK_INTERVAL && !db.inTransaction) {
        insertsSinceStatistics = 0;
        refreshKeyStatistics(db);
      }
      return readPage.deferred(query);
    },
    listDueForDeletion: (now) => dueForDeletion.all(now),
    listDueForRotation: (now) => dueForRotation.all(now),
    listDueForMaterialExpiry: (now) => dueForMaterialExpiry.all(now),
  };
}

function toListRow({ aliasesJson, ...row }: StoredListRow): KeyListRow {
  return { ...row, aliases: JSON.parse(aliasesJson) as string[] };
}
