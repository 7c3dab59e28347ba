import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

export type OfficerState = 'ENABLED' | 'DISABLED';

/** An enrolled officer (migration 014): only the approval key's public half is kept. */
export interface OfficerRow {
  name: string;
  roles: string[];
  keySpec: string;
  publicKey: string;
  fingerprint: string;
  /** Where the private key is, to sign with the officer's PIN; all null for a key given as PEM. */
  moduleId: string | null;
  tokenSerial: string | null;
  keyLabel: string | null;
  state: OfficerState;
  createdAt: string;
  updatedAt: string;
}

export interface QuorumPolicyRow {
  operations: string[];
  minApprovals: number;
  approvalWindowMinutes: number;
  updatedAt: string;
}

export interface ApprovalRequestRow {
  id: string;
  operation: string;
  /** Canonical JSON of the parsed input without its secret fields. */
  input: string;
  digest: string;
  requestedBy: string;
  minApprovals: number;
  createdAt: string;
  expiresAt: string;
  state: 'PENDING' | 'EXECUTED' | 'REJECTED';
  closedBy: string | null;
  closedAt: string | null;
}

export interface ApprovalRow {
  requestId: string;
  officerName: string;
  signature: Buffer;
  approvedAt: string;
}

export interface OfficersRepository {
  /** Throws RegistryConstraintError('unique') on a taken name or an enrolled key. */
  insert(row: OfficerRow): void;
  get(name: string): OfficerRow | null;
  list(): OfficerRow[];
  setState(name: string, state: OfficerState, updatedAt: string): boolean;
  countEnabled(): number;
  policy(): QuorumPolicyRow | null;
  /** Replaces the policy; an empty operations list removes it. */
  setPolicy(policy: QuorumPolicyRow): void;
  insertRequest(row: ApprovalRequestRow): void;
  getRequest(id: string): ApprovalRequestRow | null;
  /** Newest first, at most `limit`. */
  listRequests(limit: number): ApprovalRequestRow[];
  /** Closes a PENDING request; false when it was no longer pending (a second execution, say). */
  closeRequest(id: string, state: 'EXECUTED' | 'REJECTED', closedBy: string, closedAt: string): boolean;
  /** Throws RegistryConstraintError('unique') on a second approval by the same officer. */
  insertApproval(row: ApprovalRow): void;
  approvals(requestId: string): ApprovalRow[];
}

type StoredOfficer = Omit<OfficerRow, 'roles'> & { roles: string };
type StoredPolicy = Omit<QuorumPolicyRow, 'operations'> & { operations: string };

const OFFICER_COLUMNS = `name, roles, key_spec AS keySpec, public_key AS publicKey, fingerprint, module_id AS moduleId,
  token_serial AS tokenSerial, key_label AS keyLabel, state, created_at AS createdAt, updated_at AS updatedAt`;
const REQUEST_COLUMNS = `id, operation, input, digest, requested_by AS requestedBy, min_approvals AS minApprovals,
  created_at AS createdAt, expires_at AS expiresAt, state, closed_by AS closedBy, closed_at AS closedAt`;

function officerOf(row: StoredOfficer): OfficerRow {
  return { ...row, roles: JSON.parse(row.roles) as string[] };
}

export function createOfficersRepository(db: Database): OfficersRepository {
  const insert = db.prepare<StoredOfficer>(
    `INSERT INTO officers (name, roles, key_spec, public_key, fingerprint, module_id, token_serial, key_label, state, created_at, updated_at)
     VALUES (@name, @roles, @keySpec, @publicKey, @fingerprint, @moduleId, @tokenSerial, @keyLabel, @state, @createdAt, @updatedAt)`,
  );
  const get = db.prepare<[string], StoredOfficer>(`SELECT ${OFFICER_COLUMNS} FROM officers WHERE name = ?`);
  const list = db.prepare<[], StoredOfficer>(`SELECT ${OFFICER_COLUMNS} FROM officers ORDER BY name`);
  const setState = db.prepare<[string, string, string]>('UPDATE officers SET state = ?, updated_at = ? WHERE name = ?');
  const countEnabled = db.prepare<[], { count: number }>("SELECT count(*) AS count FROM officers WHERE state = 'ENABLED'");
  const policy = db.prepare<[], StoredPolicy>(
    'SELECT operations, min_approvals AS minApprovals, approval_window_minutes AS approvalWindowMinutes, updated_at AS updatedAt FROM quorum_policy WHERE id = 1',
  );
  const setPolicy = db.prepare<StoredPolicy>(
    `INSERT INTO quorum_policy (id, operations, min_approvals, approval_window_minutes, updated_at)
     VALUES (1, @operations, @minApprovals, @approvalWindowMinutes, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET operations = excluded.operations, min_approvals = excluded.min_approvals,
       approval_window_minutes = excluded.approval_window_minutes, updated_at = excluded.updated_at`,
  );
  const insertRequest = db.prepare<ApprovalRequestRow>(
    `INSERT INTO approval_requests (id, operation, input, digest, requested_by, min_approvals, created_at, expires_at, state, closed_by, closed_at)
     VALUES (@id, @operation, @input, @digest, @requestedBy, @minApprovals, @createdAt, @expiresAt, @state, @closedBy, @closedAt)`,
  );
  const getRequest = db.prepare<[string], ApprovalRequestRow>(`SELECT ${REQUEST_COLUMNS} FROM approval_requests WHERE id = ?`);
  const listRequests = db.prepare<[number], ApprovalRequestRow>(`SELECT ${REQUEST_COLUMNS} FROM approval_requests ORDER BY created_at DESC, rowid DESC LIMIT ?`);
  const closeRequest = db.prepare<[string, string, string, string]>(
    "UPDATE approval_requests SET state = ?, closed_by = ?, closed_at = ? WHERE id = ? AND state = 'PENDING'",
  );
  const insertApproval = db.prepare<ApprovalRow>(
    'INSERT INTO approvals (request_id, officer_name, signature, approved_at) VALUES (@requestId, @officerName, @signature, @approvedAt)',
  );
  const approvals = db.prepare<[string], ApprovalRow>(
    'SELECT request_id AS requestId, officer_name AS officerName, signature, approved_at AS approvedAt FROM approvals WHERE request_id = ? ORDER BY approved_at, officer_name',
  );

  return {
    insert: (row) => {
      translateConstraint(() => insert.run({ ...row, roles: JSON.stringify(row.roles) }));
    },
    get: (name) => {
      const row = get.get(name);
      return row ? officerOf(row) : null;
    },
    list: () => list.all().map(officerOf),
    setState: (name, state, updatedAt) => setState.run(state, updatedAt, name).changes > 0,
    countEnabled: () => countEnabled.get()?.count ?? 0,
    policy: () => {
      const row = policy.get();
      if (!row) return null;
      const operations = JSON.parse(row.operations) as string[];
      return operations.length > 0 ? { ...row, operations } : null;
    },
    setPolicy: (row) => {
      setPolicy.run({ ...row, operations: JSON.stringify(row.operations) });
    },
    insertRequest: (row) => {
      translateConstraint(() => insertRequest.run(row));
    },
    getRequest: (id) => getRequest.get(id) ?? null,
    listRequests: (limit) => listRequests.all(limit),
    closeRequest: (id, state, closedBy, closedAt) => closeRequest.run(state, closedBy, closedAt, id).changes > 0,
    insertApproval: (row) => {
      translateConstraint(() => insertApproval.run(row));
    },
    approvals: (requestId) => approvals.all(requestId),
  };
}
