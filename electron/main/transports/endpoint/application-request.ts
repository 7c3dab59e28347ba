import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { errorCodeOf, KmsError, type ErrorCode } from '../../../../shared/errors';
import { newRequestId, type ApplicationGate, type AuthenticatedClient, type PresentedCertificate } from '../../services/endpoint/application-gate';
import type { Dispatch } from '../dispatcher';
import { AwsServiceError, keywardToKmsResponse, kmsRequestToKeyward, type KeywardCall } from './aws-kms-shapes';
import { keywardToSecretsResponse, secretsRequestToKeyward } from './aws-secrets-shapes';
import { awsErrorTypeOf, httpStatusOf, type AwsService } from './endpoint-errors';
import { parseJsonObject, readBoundedBody } from './request-body';
import { parseSignature, verifySignature } from './sigv4-verifier';

export interface ApplicationRequestDeps {
  dispatch: Dispatch;
  gate: ApplicationGate;
  now: () => Date;
}

type Protocol = { kind: 'keyward-json'; operation: string } | { kind: 'aws-json'; service: AwsService; awsOperation: string };

/** What the call log knows so far; refusals are recorded with whatever was learnt before them. */
interface CallState {
  client: AuthenticatedClient | null;
  sourceAddress: string;
  operation: string;
  resource: string;
  requestId: string;
}

const AWS_TARGETS: Record<string, AwsService> = { TrentService: 'kms', secretsmanager: 'secretsmanager' };

/**
 * One application call: client key (from the TLS certificate) → protocol → signature (AWS) →
 * data-plane operation → policies and network rules → the dispatcher, as any transport. Every call,
 * allowed or refused, is recorded once.
 */
export async function handleApplicationRequest(deps: ApplicationRequestDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const protocol = protocolOf(request);
  // Named from the request line before anything is checked, so a refusal says what was asked for.
  const operation = protocol ? (protocol.kind === 'keyward-json' ? protocol.operation : protocol.awsOperation) : '';
  const state: CallState = { client: null, sourceAddress: sourceAddressOf(request), operation, resource: '', requestId: newRequestId() };
  try {
    const { client, refusal } = deps.gate.authenticate(presentedCertificateOf(request));
    state.client = client;
    if (refusal || !client) throw refusal ?? new KmsError('Unauthenticated.ClientCertificate', 'A client certificate is required.');
    if (request.method !== 'POST') throw new KmsError('InvalidAction', 'Only POST is served.');
    if (!protocol) throw new KmsError('InvalidAction', 'Use POST /v1/<Operation> or POST / with an X-Amz-Target header.');
    const body = await readBoundedBody(request);
    // The signature covers the raw body: it is checked before anything parses what it vouches for.
    if (protocol.kind === 'aws-json') await verifyAwsSignature(deps, client, request, body, protocol.service);
    const fields = parseJsonObject(body);
    const call = keywardCallOf(protocol, fields);
    state.operation = call.operation;
    const access = deps.gate.authorize(client, call.operation, call.input, state.sourceAddress);
    state.resource = access.resource;
    if (access.refusal) throw access.refusal;
    const outcome = await deps.dispatch(call.operation, call.input, { transport: 'endpoint', actor: client.actor });
    if (!outcome.ok) {
      state.requestId = outcome.error.RequestId;
      throw new KmsError(outcome.error.Code, outcome.error.Message);
    }
    // The dispatcher's successful output is always the contract's result object plus its RequestId.
    const output = outcome.output as Record<string, unknown>;
    state.requestId = typeof output.RequestId === 'string' ? output.RequestId : state.requestId;
    const answer = protocol.kind === 'keyward-json' ? output : awsAnswer(deps.gate, protocol, fields, output);
    record(deps, state, protocol, null);
    reply(response, 200, answer, state.requestId, protocol);
  } catch (error) {
    refuse(deps, state, protocol, response, error);
  }
}

async function verifyAwsSignature(deps: ApplicationRequestDeps, client: AuthenticatedClient, request: IncomingMessage, body: Buffer, service: AwsService): Promise<void> {
  const parts = { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body };
  // A signature made for another service (an XKS proxy credential's, say) never opens this one.
  const signature = parseSignature(parts, deps.now(), service);
  const secret = await deps.gate.signingSecret(client, signature.accessKeyId);
  try {
    await verifySignature(parts, signature, secret);
  } finally {
    secret.fill(0);
  }
}

function keywardCallOf(protocol: Protocol, fields: Record<string, unknown>): KeywardCall {
  if (protocol.kind === 'keyward-json') return { operation: protocol.operation, input: fields };
  return protocol.service === 'kms' ? kmsRequestToKeyward(protocol.awsOperation, fields) : secretsRequestToKeyward(protocol.awsOperation, fields);
}

function awsAnswer(gate: ApplicationGate, protocol: Extract<Protocol, { kind: 'aws-json' }>, request: Record<string, unknown>, output: Record<string, unknown>): Record<string, unknown> {
  if (protocol.service === 'secretsmanager') return keywardToSecretsResponse(output);
  return keywardToKmsResponse(protocol.awsOperation, request, output, (keyId) => gate.keyArn(keyId));
}

function refuse(deps: ApplicationRequestDeps, state: CallState, protocol: Protocol | null, response: ServerResponse, error: unknown): void {
  const awsType = error instanceof AwsServiceError ? error.type : null;
  // A Verify/VerifyMac that answered "not valid" is a successful call that AWS reports as an error.
  const code: ErrorCode = awsType ? 'InvalidParameter' : (errorCodeOf(error) ?? 'InternalFailure');
  const message = error instanceof Error && (error instanceof KmsError || awsType) ? error.message : 'Internal failure; quote the RequestId when reporting it.';
  record(deps, state, protocol, awsType ? null : code);
  if (response.headersSent || response.destroyed) return;
  if (code === 'RequestTooLarge') response.setHeader('Connection', 'close');
  const status = awsType ? 400 : httpStatusOf(code);
  response.setHeader('x-keyward-error-code', awsType ? 'None' : code);
  if (protocol?.kind === 'aws-json') {
    reply(response, status, { __type: awsType ?? awsErrorTypeOf(code, protocol.service), message: awsType ? message : `${code}: ${message}` }, state.requestId, protocol);
  } else {
    reply(response, status, { Code: code, Message: message, RequestId: state.requestId }, state.requestId, protocol);
  }
}

function record(deps: ApplicationRequestDeps, state: CallState, protocol: Protocol | null, errorCode: string | null): void {
  try {
    deps.gate.record({ ...state, protocol: protocol?.kind ?? 'keyward-json', errorCode });
  } catch (error) {
    // The audit backlog is full or closing: the call's answer still goes out; the writer reports itself.
    console.error(`[keyward] endpoint could not record call ${state.requestId}: ${error instanceof Error ? error.name : typeof error}`);
  }
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>, requestId: string, protocol: Protocol | null): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': protocol?.kind === 'aws-json' ? 'application/x-amz-json-1.1' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function protocolOf(request: IncomingMessage): Protocol | null {
  const path = (request.url ?? '').split('?', 1)[0] ?? '';
  const keyward = /^\/v1\/([A-Za-z]{1,64})$/.exec(path);
  if (keyward?.[1]) return { kind: 'keyward-json', operation: keyward[1] };
  const target = request.headers['x-amz-target'];
  if (path !== '/' || typeof target !== 'string') return null;
  const [prefix = '', awsOperation = ''] = target.split('.', 2);
  const service = Object.hasOwn(AWS_TARGETS, prefix) ? AWS_TARGETS[prefix] : undefined;
  return service && /^[A-Za-z]{1,64}$/.test(awsOperation) ? { kind: 'aws-json', service, awsOperation } : null;
}

/**
 * The certificate each connection's handshake verified, read once per connection: Node parses it
 * anew at every getPeerCertificate(). Revocation and validity are still decided at every request.
 */
const presentedBySocket = new WeakMap<TLSSocket, PresentedCertificate>();

export function presentedCertificateOf(request: IncomingMessage): PresentedCertificate | null {
  const socket = request.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return null;
  const known = presentedBySocket.get(socket);
  if (known) return known;
  const certificate = socket.getPeerCertificate();
  if (!certificate.raw) return null;
  const presented = {
    sha256: createHash('sha256').update(certificate.raw).digest('hex'),
    subjectClientKeyId: firstValue(certificate.subject.CN),
    subjectAapName: firstValue(certificate.subject.OU),
  };
  presentedBySocket.set(socket, presented);
  return presented;
}

function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The TCP peer, with IPv4-mapped IPv6 addresses unmapped for the network rules. */
export function sourceAddressOf(request: IncomingMessage): string {
  return unmappedAddress(request.socket.remoteAddress);
}

export function unmappedAddress(address: string | undefined): string {
  const text = address ?? '';
  return text.startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text;
}
