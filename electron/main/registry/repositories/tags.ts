import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

export interface TagRow {
  keyId: string;
  tagKey: string;
  tagValue: string;
}

export interface TagsRepository {
  /** Adds or overwrites the tag (TagResource semantics). Throws RegistryConstraintError('foreignKey') for an unknown key. */
  set(row: TagRow): void;
  /** False when the key had no such tag. */
  remove(keyId: string, tagKey: string): boolean;
  /** Sorted by tag key. */
  listByKey(keyId: string): TagRow[];
  deleteByKey(keyId: string): number;
}

export function createTagsRepository(db: Database): TagsRepository {
  const set = db.prepare<[TagRow]>(
    `INSERT INTO tags (key_id, tag_key, tag_value) VALUES (@keyId, @tagKey, @tagValue)
     ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM tags WHERE key_id = ? AND tag_key = ?');
  const listByKey = db.prepare<[string], TagRow>(
    'SELECT key_id AS keyId, tag_key AS tagKey, tag_value AS tagValue FROM tags WHERE key_id = ? ORDER BY tag_key',
  );
  const removeByKey = db.prepare<[string]>('DELETE FROM tags WHERE key_id = ?');

  return {
    set: (row) => {
      translateConstraint(() => set.run(row));
    },
    remove: (keyId, tagKey) => remove.run(keyId, tagKey).changes > 0,
    listByKey: (keyId) => listByKey.all(keyId),
    deleteByKey: (keyId) => removeByKey.run(keyId).changes,
  };
}
