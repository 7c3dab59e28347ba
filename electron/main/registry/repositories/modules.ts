import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { toFlag } from '../sql';

/** A registered PKCS#11 library. `envJson` is the JSON object of environment variables it is loaded with. */
export interface ModuleRow {
  id: string;
  name: string;
  path: string;
  envJson: string;
  builtin: boolean;
  createdAt: string;
}

export interface ModulesRepository {
  insert(row: ModuleRow): void;
  get(id: string): ModuleRow | null;
  /** Oldest first, so the built-in modules registered on first start lead the list. */
  list(): ModuleRow[];
  /** False when absent; throws RegistryConstraintError('foreignKey') while a key store uses it. */
  delete(id: string): boolean;
  /** Replaces the environment a module is loaded with; false when absent. */
  updateEnvironment(id: string, envJson: string): boolean;
}

type StoredModule = Omit<ModuleRow, 'builtin'> & { builtin: number };

const COLUMNS = 'id, name, path, env_json AS envJson, builtin, created_at AS createdAt';

function fromStored(row: StoredModule): ModuleRow {
  return { ...row, builtin: row.builtin === 1 };
}

export function createModulesRepository(db: Database): ModulesRepository {
  const insert = db.prepare<[StoredModule]>(
    'INSERT INTO modules (id, name, path, env_json, builtin, created_at) VALUES (@id, @name, @path, @envJson, @builtin, @createdAt)',
  );
  const get = db.prepare<[string], StoredModule>(`SELECT ${COLUMNS} FROM modules WHERE id = ?`);
  const list = db.prepare<[], StoredModule>(`SELECT ${COLUMNS} FROM modules ORDER BY created_at, id`);
  const remove = db.prepare<[string]>('DELETE FROM modules WHERE id = ?');
  const updateEnvironment = db.prepare<[string, string]>('UPDATE modules SET env_json = ? WHERE id = ?');

  return {
    insert: (row) => {
      translateConstraint(() => insert.run({ ...row, builtin: toFlag(row.builtin) }));
    },
    get: (id) => {
      const row = get.get(id);
      return row ? fromStored(row) : null;
    },
    list: () => list.all().map(fromStored),
    delete: (id) => translateConstraint(() => remove.run(id).changes > 0),
    updateEnvironment: (id, envJson) => updateEnvironment.run(envJson, id).changes > 0,
  };
}
