import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, limitOffset } from '../sql';

/** A network rule (migration 010): the source addresses a policy admits, kept as the officer wrote them. */
export interface NetworkRuleRow {
  name: string;
  type: 'Private';
  sourcePrivateIp: string[];
  description: string;
  createdAt: string;
  updatedAt: string;
}

export type NetworkRulePatch = Partial<Pick<NetworkRuleRow, 'sourcePrivateIp' | 'description'>> & { updatedAt: string };

export interface NetworkRulesRepository {
  /** Throws RegistryConstraintError('unique') on a taken name. */
  insert(row: NetworkRuleRow): void;
  get(name: string): NetworkRuleRow | null;
  /** False when there is no such rule. */
  update(name: string, patch: NetworkRulePatch): boolean;
  /** False when there is no such rule; RegistryConstraintError('foreignKey') while a policy uses it. */
  delete(name: string): boolean;
  /** By name. */
  list(page: PageRequest): Page<NetworkRuleRow>;
  /** Names of the policies that use the rule, sorted. */
  policiesUsing(name: string): string[];
}

interface StoredRow extends Omit<NetworkRuleRow, 'sourcePrivateIp'> {
  sourcePrivateIp: string;
}

const COLUMNS = `name, type, source_private_ip AS sourcePrivateIp, description, created_at AS createdAt, updated_at AS updatedAt`;

function fromStored(row: StoredRow): NetworkRuleRow {
  return { ...row, sourcePrivateIp: JSON.parse(row.sourcePrivateIp) as string[] };
}

export function createNetworkRulesRepository(db: Database): NetworkRulesRepository {
  const insert = db.prepare<[Record<string, string>]>(
    `INSERT INTO network_rules (name, type, source_private_ip, description, created_at, updated_at)
     VALUES (@name, @type, @sourcePrivateIp, @description, @createdAt, @updatedAt)`,
  );
  const get = db.prepare<[string], StoredRow>(`SELECT ${COLUMNS} FROM network_rules WHERE name = ?`);
  const update = db.prepare<[string | null, string | null, string, string]>(
    `UPDATE network_rules SET source_private_ip = coalesce(?, source_private_ip), description = coalesce(?, description), updated_at = ?
     WHERE name = ?`,
  );
  const remove = db.prepare<[string]>('DELETE FROM network_rules WHERE name = ?');
  const count = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM network_rules');
  const page = db.prepare<[number, number], StoredRow>(`SELECT ${COLUMNS} FROM network_rules ORDER BY name LIMIT ? OFFSET ?`);
  const readPage = db.transaction((request: PageRequest): Page<NetworkRuleRow> => {
    const [limit, offset] = limitOffset(request);
    return { totalCount: count.get()?.count ?? 0, rows: page.all(limit, offset).map(fromStored) };
  });
  const users = db.prepare<[string], { name: string }>(
    'SELECT policy_name AS name FROM access_policy_network_rules WHERE rule_name = ? ORDER BY policy_name',
  );

  return {
    insert(row) {
      translateConstraint(() => insert.run({ ...row, sourcePrivateIp: JSON.stringify(row.sourcePrivateIp) }));
    },
    get(name) {
      const row = get.get(name);
      return row ? fromStored(row) : null;
    },
    update: (name, patch) =>
      update.run(patch.sourcePrivateIp ? JSON.stringify(patch.sourcePrivateIp) : null, patch.description ?? null, patch.updatedAt, name).changes > 0,
    delete: (name) => translateConstraint(() => remove.run(name).changes > 0),
    list: (request) => readPage.deferred(request),
    policiesUsing: (name) => users.all(name).map((row) => row.name),
  };
}
