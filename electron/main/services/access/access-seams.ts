import type { DataPlaneOperation } from '../../../../shared/contract';
import type { RequestContext } from '../request-context';

/*
 * The seams between the three parts of application access: the access management services
 * (rules, policies, access points: AccessAuthorizer), the instance CA and client keys
 * (InstanceCaSigner, ClientKeyCredentials) and the application endpoint, which only consumes them.
 */

/** The instance CA: its private key lives in the default key store's token and signs there. */
export interface InstanceCaSigner {
  /** The CA certificate, made on first use (the default key store must be connected then). */
  certificate(request: RequestContext): Promise<{ pem: string; sha256: string; notAfter: string }>;
  /** A TLS server certificate naming `addresses` (IP or DNS SANs; the first is the CN) over `publicKeySpkiDer`, signed inside the HSM; PEM. */
  issueServerCertificate(addresses: readonly string[], publicKeySpkiDer: Buffer, validityDays: number): Promise<string>;
}

/** A client key as the endpoint sees it: its row is its validity (a deleted row is a revoked key). */
export interface ClientKeyRecord {
  clientKeyId: string;
  aapName: string;
  /** SHA-256 of the certificate's DER, lowercase hex. */
  certificateSha256: string;
  notBefore: string;
  notAfter: string;
}

export interface ClientKeyCredentials {
  byCertificateSha256(sha256: string): ClientKeyRecord | null;
  byClientKeyId(clientKeyId: string): ClientKeyRecord | null;
  /** The access key secret for SigV4, unsealed in the HSM (the caller zeroes it). */
  accessKeySecret(clientKeyId: string): Promise<Buffer>;
}

/** What an application call touches, resolved by the endpoint before it asks. */
export interface AccessRequest {
  aapName: string;
  operation: DataPlaneOperation;
  /** The remote address of the TLS connection (IPv4-mapped IPv6 addresses already unmapped). */
  sourceAddress: string;
  /** For key operations: the key's id and every alias that points at it. */
  key?: { keyId: string; aliasNames: readonly string[] };
  /** For GetSecretValue. */
  secretName?: string;
}

export type AccessDecision =
  | { allowed: true; policy: string }
  | { allowed: false; code: 'Forbidden.SourceAddress' | 'Forbidden.Permission' | 'Forbidden.Resource' | 'Unauthenticated.ClientKeyRevoked'; message: string };

export interface AccessAuthorizer {
  decide(request: AccessRequest): AccessDecision;
}
