import type { Database } from 'better-sqlite3';
import { translateConstraint } from '../errors';

/**
 * A client key of an application access point (migration 010). The row is the key's validity: a
 * deleted row is a revoked key. The access key secret is kept only sealed (envelope under a CMK);
 * the private key and its PKCS#12 password never are.
 */
export interface ClientKeyRow {
  clientKeyId: string;
  accessPointName: string;
  keyAlgorithm: 'RSA_2048';
  certificatePem: string;
  /** Hex, as in the certificate. */
  certificateSerial: string;
  /** SHA-256 of the certificate's DER, lowercase hex. */
  certificateSha256: string;
  notBefore: string;
  notAfter: string;
  /** The CMK that wraps the data key of the sealed access key secret. */
  secretKeyId: string;
  secretWrappedKey: Buffer;
  secretSealed: Buffer;
  createdAt: string;
}

/** What the endpoint and the lists read: everything but the sealed secret. */
export type ClientKeySummaryRow = Omit<ClientKeyRow, 'certificatePem' | 'secretWrappedKey' | 'secretSealed'>;

export interface ClientKeysRepository {
  /** Throws RegistryConstraintError: 'unique' on a taken id, serial or fingerprint, 'foreignKey' for an unknown access point. */
  insert(row: ClientKeyRow): void;
  get(clientKeyId: string): ClientKeyRow | null;
  summary(clientKeyId: string): ClientKeySummaryRow | null;
  summaryByCertificateSha256(sha256: string): ClientKeySummaryRow | null;
  /** Oldest first. */
  listByAccessPoint(accessPointName: string): ClientKeySummaryRow[];
  /** False when there was no such key. */
  delete(clientKeyId: string): boolean;
  accessPointExists(name: string): boolean;
}

const SUMMARY_COLUMNS = `client_key_id AS clientKeyId, access_point_name AS accessPointName, key_algorithm AS keyAlgorithm,
  certificate_serial AS certificateSerial, certificate_sha256 AS certificateSha256, not_before AS notBefore,
  not_after AS notAfter, secret_key_id AS secretKeyId, created_at AS createdAt`;
const COLUMNS = `${SUMMARY_COLUMNS}, certificate_pem AS certificatePem, secret_wrapped_key AS secretWrappedKey, secret_sealed AS secretSealed`;

export function createClientKeysRepository(db: Database): ClientKeysRepository {
  const insert = db.prepare<ClientKeyRow>(
    `INSERT INTO client_keys (client_key_id, access_point_name, key_algorithm, certificate_pem, certificate_serial,
       certificate_sha256, not_before, not_after, secret_key_id, secret_wrapped_key, secret_sealed, created_at)
     VALUES (@clientKeyId, @accessPointName, @keyAlgorithm, @certificatePem, @certificateSerial, @certificateSha256,
       @notBefore, @notAfter, @secretKeyId, @secretWrappedKey, @secretSealed, @createdAt)`,
  );
  const get = db.prepare<[string], ClientKeyRow>(`SELECT ${COLUMNS} FROM client_keys WHERE client_key_id = ?`);
  const summary = db.prepare<[string], ClientKeySummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM client_keys WHERE client_key_id = ?`);
  const bySha256 = db.prepare<[string], ClientKeySummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM client_keys WHERE certificate_sha256 = ?`);
  const byAccessPoint = db.prepare<[string], ClientKeySummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM client_keys WHERE access_point_name = ? ORDER BY created_at, client_key_id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM client_keys WHERE client_key_id = ?');
  const accessPoint = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM access_points WHERE name = ?');

  return {
    insert(row) {
      translateConstraint(() => insert.run(row));
    },
    get: (clientKeyId) => get.get(clientKeyId) ?? null,
    summary: (clientKeyId) => summary.get(clientKeyId) ?? null,
    summaryByCertificateSha256: (sha256) => bySha256.get(sha256) ?? null,
    listByAccessPoint: (name) => byAccessPoint.all(name),
    delete: (clientKeyId) => remove.run(clientKeyId).changes > 0,
    accessPointExists: (name) => accessPoint.get(name) !== undefined,
  };
}
