import type { Database } from 'better-sqlite3';
import type { SecretState } from '../../../../shared/contract';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, StatementCache, limitOffset } from '../sql';

/** A secret's metadata; its values live in secret_versions, sealed. */
export interface SecretRow {
  id: string;
  name: string;
  description: string;
  /** Key id of the CMK that wraps every version's data key. */
  encryptionKeyId: string;
  secretState: SecretState;
  createdAt: string;
  updatedAt: string;
  /** Set exactly while PendingDeletion. */
  plannedDeleteTime: string | null;
}

export type SecretPatch = Partial<Pick<SecretRow, 'description' | 'encryptionKeyId' | 'secretState' | 'plannedDeleteTime' | 'updatedAt'>>;

export interface SecretTagRow {
  tagKey: string;
  tagValue: string;
}

/** A row of ListSecrets: the metadata plus what the list shows next to it. */
export interface SecretListRow extends SecretRow {
  currentVersionId: string | null;
  tags: SecretTagRow[];
}

/** ListSecrets filters; values of one filter are alternatives, filters all apply. */
export type SecretListFilter =
  | { key: 'NamePrefix'; values: readonly string[] }
  | { key: 'SecretState'; values: readonly SecretState[] }
  /** `TagKey` (has the tag) or `TagKey=TagValue`, split by the caller. */
  | { key: 'Tag'; values: readonly { tagKey: string; tagValue: string | null }[] };

export interface SecretListQuery extends PageRequest {
  filters?: readonly SecretListFilter[];
}

export interface SecretsRepository {
  /** Throws RegistryConstraintError: 'unique' when the name is taken, 'foreignKey' for an unknown CMK. */
  insert(row: SecretRow): void;
  get(id: string): SecretRow | null;
  getByName(name: string): SecretRow | null;
  /** Changes only the given fields; false when the secret does not exist. */
  update(id: string, patch: SecretPatch): boolean;
  /** Destroys the secret with its versions, stages and tags; false when it did not exist. */
  delete(id: string): boolean;
  /** Newest first, with the total match count, from one snapshot. */
  list(query: SecretListQuery): Page<SecretListRow>;
  /** How many secrets (not yet destroyed) a CMK protects. */
  countByKey(keyId: string): number;
  /** PendingDeletion secrets whose planned delete time is at or before `now`. */
  listDueForDeletion(now: string): SecretRow[];
  /** Adds or overwrites a tag. */
  setTag(secretId: string, tag: SecretTagRow): void;
  removeTag(secretId: string, tagKey: string): boolean;
  /** Sorted by tag key. */
  listTags(secretId: string): SecretTagRow[];
}

const COLUMNS = `s.id, s.name, s.description, s.encryption_key_id AS encryptionKeyId, s.secret_state AS secretState,
  s.created_at AS createdAt, s.updated_at AS updatedAt, s.planned_delete_time AS plannedDeleteTime`;
const PATCH_COLUMNS: Record<keyof SecretPatch, string> = {
  description: 'description',
  encryptionKeyId: 'encryption_key_id',
  secretState: 'secret_state',
  plannedDeleteTime: 'planned_delete_time',
  updatedAt: 'updated_at',
};
const LIST_EXTRAS = `
  (SELECT v.version_id FROM secret_version_stages v WHERE v.secret_id = s.id AND v.stage = 'ACSCurrent') AS currentVersionId,
  (SELECT json_group_array(json_object('tagKey', t.tag_key, 'tagValue', t.tag_value) ORDER BY t.tag_key)
     FROM secret_tags t WHERE t.secret_id = s.id) AS tagsJson`;

type StoredListRow = SecretRow & { currentVersionId: string | null; tagsJson: string };

export function createSecretsRepository(db: Database): SecretsRepository {
  const cache = new StatementCache(db, 64);
  const insert = db.prepare<[SecretRow]>(
    `INSERT INTO secrets (id, name, description, encryption_key_id, secret_state, created_at, updated_at, planned_delete_time)
     VALUES (@id, @name, @description, @encryptionKeyId, @secretState, @createdAt, @updatedAt, @plannedDeleteTime)`,
  );
  const get = db.prepare<[string], SecretRow>(`SELECT ${COLUMNS} FROM secrets s WHERE s.id = ?`);
  const getByName = db.prepare<[string], SecretRow>(`SELECT ${COLUMNS} FROM secrets s WHERE s.name = ?`);
  const remove = db.prepare<[string]>('DELETE FROM secrets WHERE id = ?');
  const countByKey = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM secrets WHERE encryption_key_id = ?');
  const dueForDeletion = db.prepare<[string], SecretRow>(
    `SELECT ${COLUMNS} FROM secrets s WHERE s.planned_delete_time IS NOT NULL AND s.planned_delete_time <= ? ORDER BY s.planned_delete_time`,
  );
  const setTag = db.prepare<[string, string, string]>(
    `INSERT INTO secret_tags (secret_id, tag_key, tag_value) VALUES (?, ?, ?)
     ON CONFLICT (secret_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  );
  const removeTag = db.prepare<[string, string]>('DELETE FROM secret_tags WHERE secret_id = ? AND tag_key = ?');
  const listTags = db.prepare<[string], SecretTagRow>(
    'SELECT tag_key AS tagKey, tag_value AS tagValue FROM secret_tags WHERE secret_id = ? ORDER BY tag_key',
  );

  const readPage = db.transaction((query: SecretListQuery): Page<SecretListRow> => {
    const [limit, offset] = limitOffset(query);
    const { sql, params } = listWhere(query.filters ?? []);
    const totalCount = cache.get<unknown[], { count: number }>(`SELECT count(*) AS count FROM secrets s WHERE ${sql}`).get(...params)?.count ?? 0;
    if (totalCount === 0) return { rows: [], totalCount };
    const rows = cache
      .get<unknown[], StoredListRow>(`SELECT ${COLUMNS}, ${LIST_EXTRAS} FROM secrets s WHERE ${sql} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
    return { rows: rows.map(({ tagsJson, ...row }) => ({ ...row, tags: JSON.parse(tagsJson) as SecretTagRow[] })), totalCount };
  });

  function update(id: string, patch: SecretPatch): boolean {
    const fields = (Object.keys(PATCH_COLUMNS) as (keyof SecretPatch)[]).filter((field) => patch[field] !== undefined);
    if (fields.length === 0) return get.get(id) !== undefined;
    const sql = `UPDATE secrets SET ${fields.map((field) => `${PATCH_COLUMNS[field]} = ?`).join(', ')} WHERE id = ?`;
    return translateConstraint(() => cache.get<unknown[], never>(sql).run(...fields.map((field) => patch[field] ?? null), id).changes > 0);
  }

  return {
    insert: (row) => {
      translateConstraint(() => insert.run(row));
    },
    get: (id) => get.get(id) ?? null,
    getByName: (name) => getByName.get(name) ?? null,
    update,
    delete: (id) => remove.run(id).changes > 0,
    list: (query) => readPage.deferred(query),
    countByKey: (keyId) => countByKey.get(keyId)?.count ?? 0,
    listDueForDeletion: (now) => dueForDeletion.all(now),
    setTag: (secretId, tag) => {
      translateConstraint(() => setTag.run(secretId, tag.tagKey, tag.tagValue));
    },
    removeTag: (secretId, tagKey) => removeTag.run(secretId, tagKey).changes > 0,
    listTags: (secretId) => listTags.all(secretId),
  };
}

/** The WHERE clause of a filtered list; every value is a bound parameter. */
function listWhere(filters: readonly SecretListFilter[]): { sql: string; params: unknown[] } {
  const clauses: string[] = ['1 = 1'];
  const params: unknown[] = [];
  for (const filter of filters) {
    if (filter.values.length === 0) continue;
    if (filter.key === 'NamePrefix') {
      // substr, not LIKE: names are case-sensitive and may hold LIKE's wildcards.
      clauses.push(`(${filter.values.map(() => 'substr(s.name, 1, length(?)) = ?').join(' OR ')})`);
      for (const prefix of filter.values) params.push(prefix, prefix);
    } else if (filter.key === 'SecretState') {
      clauses.push(`s.secret_state IN (${filter.values.map(() => '?').join(', ')})`);
      params.push(...filter.values);
    } else {
      const alternatives = filter.values.map((tag) => (tag.tagValue === null ? '(t.tag_key = ?)' : '(t.tag_key = ? AND t.tag_value = ?)'));
      clauses.push(`EXISTS (SELECT 1 FROM secret_tags t WHERE t.secret_id = s.id AND (${alternatives.join(' OR ')}))`);
      for (const tag of filter.values) params.push(...(tag.tagValue === null ? [tag.tagKey] : [tag.tagKey, tag.tagValue]));
    }
  }
  return { sql: clauses.join(' AND '), params };
}
