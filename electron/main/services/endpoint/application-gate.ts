import { randomUUID } from 'node:crypto';
import { DATA_PLANE_OPERATIONS, isOperationName, type DataPlaneOperation } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { BufferedAuditWriter } from '../../registry';
import type { AccessAuthorizer, AccessRequest, ClientKeyCredentials, ClientKeyRecord } from '../access/access-seams';
import { parseBlob } from '../crypto/ciphertext-blob';
import { keyArn, parseKeyReference } from '../keys/key-identifiers';
import type { ArnScope } from '../keys/key-metadata';
import { isoNow, type ServiceContext } from '../service-context';
import type { RecentCalls } from './recent-calls';

/** An application whose TLS client certificate belongs to a live client key. */
export interface AuthenticatedClient {
  clientKeyId: string;
  aapName: string;
  /** Who acts in the audit records of the services the call reaches. */
  actor: string;
}

/** A TLS client certificate the handshake accepted (issued by the instance CA). */
export interface PresentedCertificate {
  /** SHA-256 of its DER, lowercase hex. */
  sha256: string;
  /** Its subject's CN and OU: the client key and the access point it was issued to. */
  subjectClientKeyId: string;
  subjectAapName: string;
}

/** One application call as the endpoint saw it, allowed or refused. */
export interface ApplicationCallRecord {
  client: AuthenticatedClient | null;
  /** Who acted when it is not the client key: an XKS call acts as its proxy credential, with or without a certificate. */
  actor?: string;
  sourceAddress: string;
  /** The operation asked for, as named on the wire (refused names included). */
  operation: string;
  resource: string;
  protocol: 'keyward-json' | 'aws-json' | 'tls' | 'xks';
  errorCode: string | null;
  requestId: string;
  /** Why a TLS handshake failed (the OpenSSL error code), when that is the refusal. */
  reason?: string;
  /** What the protocol adds to the record (an XKS call's proxy, credential and requestMetadata); never a secret. */
  details?: Record<string, string>;
}

export interface ApplicationGateDeps {
  context: ServiceContext;
  credentials: ClientKeyCredentials;
  authorizer: AccessAuthorizer;
  usageWriter: BufferedAuditWriter;
  recentCalls: RecentCalls;
  scope: ArnScope;
}

const DATA_PLANE = new Set<string>(DATA_PLANE_OPERATIONS);

/**
 * What every application call passes, in the endpoint's order: the client key behind the TLS
 * certificate (looked up on each call, so a deleted key is refused at once, open connections
 * included), then the operation, then the access point's policies and network rules.
 */
export class ApplicationGate {
  constructor(private readonly deps: ApplicationGateDeps) {}

  /**
   * The client key behind a TLS certificate, checked on every call. A refused certificate is still
   * named (its subject, signed by the instance CA, says which client key and access point it was
   * issued to), so the refusal is audited against it.
   */
  authenticate(certificate: PresentedCertificate | null): { client: AuthenticatedClient | null; refusal: KmsError | null } {
    if (certificate === null) {
      return { client: null, refusal: new KmsError('Unauthenticated.ClientCertificate', 'A client certificate issued by this Keyward instance is required.') };
    }
    const record = this.deps.credentials.byCertificateSha256(certificate.sha256);
    if (!record) {
      const claimed = clientOf({ clientKeyId: certificate.subjectClientKeyId, aapName: certificate.subjectAapName });
      return { client: claimed, refusal: new KmsError('Unauthenticated.ClientKeyRevoked', 'The client certificate belongs to no live client key (it was deleted, or its access point was).') };
    }
    return { client: clientOf(record), refusal: this.validityProblem(record) };
  }

  /** The access key id of a SigV4 signature must name the client key of the TLS certificate. */
  async signingSecret(client: AuthenticatedClient, accessKeyId: string): Promise<Buffer> {
    if (accessKeyId !== client.clientKeyId) {
      throw new KmsError('Unauthenticated.Signature', 'The signature’s access key id is not the client key of the TLS certificate.');
    }
    return this.deps.credentials.accessKeySecret(client.clientKeyId);
  }

  /** Refuses the call unless the operation is data-plane and a policy allows it from this address; returns the resource. */
  /** The resource the call names (for its audit record, refused or not) and the refusal, if any. */
  authorize(client: AuthenticatedClient, operation: string, input: unknown, sourceAddress: string): { resource: string; refusal: KmsError | null } {
    if (!DATA_PLANE.has(operation)) {
      if (!isOperationName(operation)) throw new KmsError('InvalidAction', `Unknown operation ${printable(operation)}.`);
      throw new KmsError('Forbidden.ManagementOperation', `${printable(operation)} is not served to applications.`);
    }
    const request = this.accessRequest(client, operation as DataPlaneOperation, input, sourceAddress);
    const decision = this.deps.authorizer.decide(request);
    return { resource: resourceOf(request), refusal: decision.allowed ? null : new KmsError(decision.code, decision.message) };
  }

  /** A key id as AWS answers name keys. */
  keyArn(keyId: string): string {
    return keyArn(this.deps.scope.region, this.deps.scope.owner, keyId);
  }

  /** Audits the call (group commit: a flood of refused calls must not cost one fsync each) and shows it on the endpoint card. */
  record(call: ApplicationCallRecord): void {
    const time = isoNow(this.deps.context);
    const operation = printable(call.operation);
    const outcome = call.errorCode === null ? 'SUCCESS' : 'FAILURE';
    this.deps.usageWriter.enqueue({
      time,
      operation,
      actor: call.actor ?? call.client?.actor ?? 'aap:(unauthenticated)',
      transport: 'endpoint',
      resourceId: call.resource.slice(0, 256),
      outcome,
      errorCode: call.errorCode,
      requestId: call.requestId,
      details: {
        ApplicationCall: true,
        AapName: call.client?.aapName ?? '',
        ClientKeyId: call.client?.clientKeyId ?? '',
        SourceAddress: call.sourceAddress,
        Protocol: call.protocol,
        ...(call.reason ? { Reason: call.reason.slice(0, 128) } : {}),
        ...call.details,
      },
    });
    this.deps.recentCalls.add({
      Time: time,
      AapName: call.client?.aapName ?? '',
      ClientKeyId: call.client?.clientKeyId ?? '',
      SourceAddress: call.sourceAddress,
      Operation: operation,
      Resource: call.resource.slice(0, 256),
      Outcome: outcome,
      ErrorCode: call.errorCode ?? '',
    });
  }

  private validityProblem(record: ClientKeyRecord): KmsError | null {
    const now = isoNow(this.deps.context);
    if (now < record.notBefore) return new KmsError('Unauthenticated.ClientCertificate', `The client certificate is not valid before ${record.notBefore}.`);
    if (now > record.notAfter) return new KmsError('Unauthenticated.ClientCertificate', `The client certificate expired at ${record.notAfter}.`);
    return null;
  }

  private accessRequest(client: AuthenticatedClient, operation: DataPlaneOperation, input: unknown, sourceAddress: string): AccessRequest {
    const base = { aapName: client.aapName, operation, sourceAddress };
    if (operation === 'GetSecretValue') return { ...base, secretName: stringField(input, 'SecretName') };
    if (operation === 'Decrypt') {
      // The blob names its key by id; a policy naming one of the key's aliases covers it as for Encrypt.
      const keyId = keyIdOfBlob(stringField(input, 'CiphertextBlob'));
      return { ...base, key: keyId ? this.keyOf(keyId) : { keyId: '', aliasNames: [] } };
    }
    return { ...base, key: this.keyOf(stringField(input, 'KeyId')) };
  }

  /** The key and every alias naming it; an unknown key is still asked about (a refusal then reveals nothing about it). */
  private keyOf(identifier: string): { keyId: string; aliasNames: readonly string[] } {
    const reference = parseKeyReference(identifier);
    const registry = this.deps.context.registry;
    const keyId = reference.kind === 'alias' ? registry.aliases.resolve(reference.aliasName) : reference.keyId;
    if (keyId === null) return { keyId: '', aliasNames: reference.kind === 'alias' ? [reference.aliasName] : [] };
    return { keyId, aliasNames: registry.aliases.listByKey(keyId).map((alias) => alias.aliasName) };
  }
}

function clientOf(record: Pick<ClientKeyRecord, 'clientKeyId' | 'aapName'>): AuthenticatedClient {
  return { clientKeyId: record.clientKeyId, aapName: record.aapName, actor: `aap:${record.aapName}/${record.clientKeyId}` };
}

function resourceOf(request: AccessRequest): string {
  if (request.secretName !== undefined) return request.secretName;
  return request.key?.keyId || request.key?.aliasNames[0] || '';
}

function keyIdOfBlob(base64: string): string {
  try {
    return parseBlob(Buffer.from(base64, 'base64')).keyId;
  } catch (error) {
    if (errorCodeOf(error) === 'InvalidCiphertext') throw error;
    throw new KmsError('InvalidCiphertext', 'The ciphertext blob is not a Keyward ciphertext.');
  }
}

function stringField(input: unknown, field: string): string {
  if (typeof input !== 'object' || input === null) return '';
  const value = (input as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

/** A request id for calls refused before they reach the dispatcher (which makes its own). */
export function newRequestId(): string {
  return randomUUID();
}
