import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, limitOffset } from '../sql';

/** A policy (migration 010): permissions on resources, admitted from the addresses of its network rules. */
export interface AccessPolicyRow {
  name: string;
  permissions: string[];
  resources: string[];
  description: string;
  createdAt: string;
  updatedAt: string;
}

export type AccessPolicyPatch = Partial<Pick<AccessPolicyRow, 'permissions' | 'resources' | 'description'>> & { updatedAt: string };

export interface AccessPoliciesRepository {
  /** Throws RegistryConstraintError: 'unique' on a taken name, 'foreignKey' for an unknown rule. */
  insert(row: AccessPolicyRow, networkRules: readonly string[]): void;
  get(name: string): AccessPolicyRow | null;
  /** False when there is no such policy. */
  update(name: string, patch: AccessPolicyPatch): boolean;
  /** Replaces the policy's rule links; RegistryConstraintError('foreignKey') for an unknown rule. */
  setNetworkRules(name: string, networkRules: readonly string[]): void;
  /** False when there is no such policy; RegistryConstraintError('foreignKey') while an access point uses it. */
  delete(name: string): boolean;
  /** By name. */
  list(page: PageRequest): Page<AccessPolicyRow>;
  /** The policy's network rules, sorted. */
  networkRulesOf(name: string): string[];
  /** Names of the access points the policy is attached to, sorted. */
  accessPointsUsing(name: string): string[];
}

interface StoredRow extends Omit<AccessPolicyRow, 'permissions' | 'resources'> {
  permissions: string;
  resources: string;
}

const COLUMNS = 'name, permissions, resources, description, created_at AS createdAt, updated_at AS updatedAt';

function fromStored(row: StoredRow): AccessPolicyRow {
  return { ...row, permissions: JSON.parse(row.permissions) as string[], resources: JSON.parse(row.resources) as string[] };
}

const jsonOrNull = (values: readonly string[] | undefined): string | null => (values ? JSON.stringify(values) : null);

export function createAccessPoliciesRepository(db: Database): AccessPoliciesRepository {
  const insert = db.prepare<[Record<string, string>]>(
    `INSERT INTO access_policies (name, permissions, resources, description, created_at, updated_at)
     VALUES (@name, @permissions, @resources, @description, @createdAt, @updatedAt)`,
  );
  const link = db.prepare<[string, string]>('INSERT INTO access_policy_network_rules (policy_name, rule_name) VALUES (?, ?)');
  const unlinkAll = db.prepare<[string]>('DELETE FROM access_policy_network_rules WHERE policy_name = ?');
  const get = db.prepare<[string], StoredRow>(`SELECT ${COLUMNS} FROM access_policies WHERE name = ?`);
  const update = db.prepare<[string | null, string | null, string | null, string, string]>(
    `UPDATE access_policies SET permissions = coalesce(?, permissions), resources = coalesce(?, resources),
       description = coalesce(?, description), updated_at = ? WHERE name = ?`,
  );
  const remove = db.prepare<[string]>('DELETE FROM access_policies WHERE name = ?');
  const count = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM access_policies');
  const page = db.prepare<[number, number], StoredRow>(`SELECT ${COLUMNS} FROM access_policies ORDER BY name LIMIT ? OFFSET ?`);
  const readPage = db.transaction((request: PageRequest): Page<AccessPolicyRow> => {
    const [limit, offset] = limitOffset(request);
    return { totalCount: count.get()?.count ?? 0, rows: page.all(limit, offset).map(fromStored) };
  });
  const rulesOf = db.prepare<[string], { name: string }>(
    'SELECT rule_name AS name FROM access_policy_network_rules WHERE policy_name = ? ORDER BY rule_name',
  );
  const users = db.prepare<[string], { name: string }>(
    'SELECT access_point_name AS name FROM access_point_policies WHERE policy_name = ? ORDER BY access_point_name',
  );
  const linkAll = (name: string, networkRules: readonly string[]): void => {
    for (const rule of networkRules) link.run(name, rule);
  };
  const insertWithLinks = db.transaction((row: AccessPolicyRow, networkRules: readonly string[]) => {
    insert.run({ ...row, permissions: JSON.stringify(row.permissions), resources: JSON.stringify(row.resources) });
    linkAll(row.name, networkRules);
  });
  const relink = db.transaction((name: string, networkRules: readonly string[]) => {
    unlinkAll.run(name);
    linkAll(name, networkRules);
  });

  return {
    insert: (row, networkRules) => translateConstraint(() => insertWithLinks(row, networkRules)),
    get(name) {
      const row = get.get(name);
      return row ? fromStored(row) : null;
    },
    update: (name, patch) =>
      update.run(jsonOrNull(patch.permissions), jsonOrNull(patch.resources), patch.description ?? null, patch.updatedAt, name).changes > 0,
    setNetworkRules: (name, networkRules) => translateConstraint(() => relink(name, networkRules)),
    delete: (name) => translateConstraint(() => remove.run(name).changes > 0),
    list: (request) => readPage.deferred(request),
    networkRulesOf: (name) => rulesOf.all(name).map((row) => row.name),
    accessPointsUsing: (name) => users.all(name).map((row) => row.name),
  };
}
