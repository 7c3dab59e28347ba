import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';
import { type Page, type PageRequest, limitOffset } from '../sql';

/** An application access point (migration 010): 1-3 policies and the client keys that reach them. */
export interface AccessPointRow {
  name: string;
  authenticationMethod: 'ClientKey';
  description: string;
  createdAt: string;
  updatedAt: string;
}

export type AccessPointPatch = Partial<Pick<AccessPointRow, 'description'>> & { updatedAt: string };

/** One (policy, network rule) pair of an access point, as the authorizer reads it at each call. */
export interface AccessGrantRow {
  policyName: string;
  permissions: string[];
  resources: string[];
  /** JSON text of the rule's addresses (the caller caches what it parses from it); null for a policy without rules. */
  sourcePrivateIpJson: string | null;
}

export interface AccessPointsRepository {
  /** Throws RegistryConstraintError: 'unique' on a taken name, 'foreignKey' for an unknown policy. */
  insert(row: AccessPointRow, policies: readonly string[]): void;
  get(name: string): AccessPointRow | null;
  /** False when there is no such access point. */
  update(name: string, patch: AccessPointPatch): boolean;
  /** Replaces the access point's policy links; RegistryConstraintError('foreignKey') for an unknown policy. */
  setPolicies(name: string, policies: readonly string[]): void;
  /** False when there was no such access point; its client keys go with it (ON DELETE CASCADE). */
  delete(name: string): boolean;
  /** By name. */
  list(page: PageRequest): Page<AccessPointRow>;
  /** The access point's policies, sorted. */
  policiesOf(name: string): string[];
  clientKeyCount(name: string): number;
  /** Every (policy, rule) of the access point; null when the access point does not exist. */
  grants(name: string): AccessGrantRow[] | null;
}

const COLUMNS = 'name, authentication_method AS authenticationMethod, description, created_at AS createdAt, updated_at AS updatedAt';

interface StoredGrant {
  policyName: string | null;
  permissions: string | null;
  resources: string | null;
  sourcePrivateIpJson: string | null;
}

export function createAccessPointsRepository(db: Database): AccessPointsRepository {
  const insert = db.prepare<[AccessPointRow]>(
    `INSERT INTO access_points (name, authentication_method, description, created_at, updated_at)
     VALUES (@name, @authenticationMethod, @description, @createdAt, @updatedAt)`,
  );
  const link = db.prepare<[string, string]>('INSERT INTO access_point_policies (access_point_name, policy_name) VALUES (?, ?)');
  const unlinkAll = db.prepare<[string]>('DELETE FROM access_point_policies WHERE access_point_name = ?');
  const get = db.prepare<[string], AccessPointRow>(`SELECT ${COLUMNS} FROM access_points WHERE name = ?`);
  const update = db.prepare<[string | null, string, string]>(
    'UPDATE access_points SET description = coalesce(?, description), updated_at = ? WHERE name = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM access_points WHERE name = ?');
  const count = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM access_points');
  const page = db.prepare<[number, number], AccessPointRow>(`SELECT ${COLUMNS} FROM access_points ORDER BY name LIMIT ? OFFSET ?`);
  const readPage = db.transaction((request: PageRequest): Page<AccessPointRow> => {
    const [limit, offset] = limitOffset(request);
    return { totalCount: count.get()?.count ?? 0, rows: page.all(limit, offset) };
  });
  const policiesOf = db.prepare<[string], { name: string }>(
    'SELECT policy_name AS name FROM access_point_policies WHERE access_point_name = ? ORDER BY policy_name',
  );
  const clientKeys = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM client_keys WHERE access_point_name = ?');
  // One statement from the access point outward: no row at all means the access point is gone.
  const grants = db.prepare<[string], StoredGrant>(
    `SELECT p.name AS policyName, p.permissions, p.resources, r.source_private_ip AS sourcePrivateIpJson
     FROM access_points a
     LEFT JOIN access_point_policies ap ON ap.access_point_name = a.name
     LEFT JOIN access_policies p ON p.name = ap.policy_name
     LEFT JOIN access_policy_network_rules pr ON pr.policy_name = p.name
     LEFT JOIN network_rules r ON r.name = pr.rule_name
     WHERE a.name = ?
     ORDER BY p.name, r.name`,
  );
  const readGrants = (name: string): AccessGrantRow[] | null => {
    const rows = grants.all(name);
    if (rows.length === 0) return null;
    return rows.flatMap((row) =>
      row.policyName === null || row.permissions === null || row.resources === null
        ? []
        : [{
            policyName: row.policyName,
            permissions: JSON.parse(row.permissions) as string[],
            resources: JSON.parse(row.resources) as string[],
            sourcePrivateIpJson: row.sourcePrivateIpJson,
          }],
    );
  };
  const linkAll = (name: string, policies: readonly string[]): void => {
    for (const policy of policies) link.run(name, policy);
  };
  const insertWithLinks = db.transaction((row: AccessPointRow, policies: readonly string[]) => {
    insert.run(row);
    linkAll(row.name, policies);
  });
  const relink = db.transaction((name: string, policies: readonly string[]) => {
    unlinkAll.run(name);
    linkAll(name, policies);
  });

  return {
    insert: (row, policies) => translateConstraint(() => insertWithLinks(row, policies)),
    get: (name) => get.get(name) ?? null,
    update: (name, patch) => update.run(patch.description ?? null, patch.updatedAt, name).changes > 0,
    setPolicies: (name, policies) => translateConstraint(() => relink(name, policies)),
    delete: (name) => remove.run(name).changes > 0,
    list: (request) => readPage.deferred(request),
    policiesOf: (name) => policiesOf.all(name).map((row) => row.name),
    clientKeyCount: (name) => clientKeys.get(name)?.count ?? 0,
    grants: readGrants,
  };
}
