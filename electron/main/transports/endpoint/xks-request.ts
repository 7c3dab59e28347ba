/*
 * The AWS KMS External Key Store (XKS) Proxy API v1, served by the application endpoint. Followed
 * from the specification (aws/aws-kms-xksproxy-api-spec, spec/xks_proxy_api_spec.md):
 * - "API Content Type": JSON over HTTPS, Content-Type application/json, HTTP/1.1, TLS 1.2+.
 * - "API Operations": POST only, a GET at the four URIs is refused with 405; URIs
 *   `[/<path-prefix>]/kms/xks/v1/keys/<externalKeyId>/{metadata,encrypt,decrypt}` and `.../health`;
 *   externalKeyId up to 128 characters of A-Z a-z 0-9 . - _ ; ARNs up to 2048 characters.
 * - "GetKeyMetadata": keySpec AES_256, keyUsage [ENCRYPT, DECRYPT], keyStatus ENABLED | DISABLED.
 * - "Encrypt": plaintext up to 4300 bytes, AAD up to 8192 bytes, encryptionAlgorithm AES_GCM,
 *   ciphertextMetadata (at most 20 bytes) appended to the AAD as 2-byte AAD length || AAD ||
 *   1-byte metadata length || metadata; IV of 12 bytes, a 16-byte tag returned apart from the
 *   ciphertext; ciphertextDataIntegrityValue (SHA_256) whenever its algorithm is asked for.
 * - "Decrypt": the same fields back; a changed ciphertext, IV, tag, AAD or metadata is
 *   InvalidCiphertextException. Plaintext is never logged.
 * - "GetHealthStatus": xksProxyFleetSize, xksProxyVendor, xksProxyModel, ekmVendor and 1-10
 *   ekmFleetDetails {id, model, healthStatus ACTIVE | DEGRADED | UNAVAILABLE}.
 * - "Error Codes": {errorName, errorMessage} with the table's statuses (see xks-errors.ts).
 * - "Authentication" and Appendix A: SigV4 with the service `kms-xks-proxy`, the region taken from
 *   the credential scope, Host and X-Amz-Date signed, the payload hash, requests more than five
 *   minutes from the proxy's clock refused; several credentials per path prefix for rotation.
 *   mTLS option: a client certificate is optional for XKS calls (SigV4 alone authenticates the
 *   caller); one that is presented must verify against the instance CA (else the handshake is
 *   refused) and belong to a live client key.
 * - "Logging" and Appendix B: every call's requestMetadata is recorded (kmsRequestId included).
 * - Appendix C: the integrity value is computed before a verifying decrypt of the output.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodeOf, KmsError, type ErrorCode } from '../../../../shared/errors';
import { newRequestId, type ApplicationGate, type AuthenticatedClient } from '../../services/endpoint/application-gate';
import type { XksRoute } from '../../services/xks/xks-paths';
import type { XksProxyGate } from '../../services/xks/xks-proxy-gate';
import type { XksProxyRow } from '../../registry';
import { presentedCertificateOf, sourceAddressOf } from './application-request';
import { parseJsonObject, readBoundedBody } from './request-body';
import { parseSignature, verifySignature } from './sigv4-verifier';
import { xksErrorMessage, xksErrorOf } from './xks-errors';
import { decryptRequestOf, encryptRequestOf, encryptResponseOf, requestMetadataDetails } from './xks-shapes';

export const XKS_SIGNING_SERVICE = 'kms-xks-proxy';

export interface XksRequestDeps {
  gate: ApplicationGate;
  xks: XksProxyGate;
  now: () => Date;
}

interface XksCallState {
  /** The client key of the TLS certificate, when one was presented. */
  client: AuthenticatedClient | null;
  /** The proxy credential once its signature held: who acts in the call's record. */
  actor?: string;
  sourceAddress: string;
  operation: string;
  resource: string;
  requestId: string;
  details: Record<string, string>;
}

const OPERATION_NAMES = { metadata: 'XksGetKeyMetadata', encrypt: 'XksEncrypt', decrypt: 'XksDecrypt' } as const;
const REQUIRED_METADATA = ['awsPrincipalArn', 'kmsOperation', 'kmsRequestId'];

/**
 * One XKS call: client certificate, if any (checked like any application call's when presented) →
 * the proxy of the path → POST → SigV4 with one of the proxy's credentials → the key operation on
 * the proxy's store. Authentication and authorization are the proxy credential (access point
 * policies do not apply). Every call, allowed or refused, is recorded once, with its
 * requestMetadata once the signature held.
 */
export async function handleXksRequest(deps: XksRequestDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const state: XksCallState = { client: null, sourceAddress: sourceAddressOf(request), operation: 'XksRequest', resource: '', requestId: newRequestId(), details: {} };
  try {
    const certificate = presentedCertificateOf(request);
    if (certificate) {
      // A certificate is optional, but one that is presented must still be a live client key's.
      const { client, refusal } = deps.gate.authenticate(certificate);
      state.client = client;
      if (refusal || !client) throw refusal ?? new KmsError('Unauthenticated.ClientCertificate', 'A client certificate is required.');
    }
    const path = (request.url ?? '').split('?', 1)[0] ?? '';
    const matched = deps.xks.match(path);
    if (!matched) throw new KmsError('NotFound.XksProxy', 'No XKS proxy is served under this URI path.');
    const { proxy, route } = matched;
    state.details.XksProxyId = proxy.id;
    if (!route) throw new KmsError('NotFound.XksProxy', `Not an XKS API URI under ${proxy.uriPath}.`);
    state.operation = route.kind === 'health' ? 'XksGetHealthStatus' : OPERATION_NAMES[route.action];
    if (request.method !== 'POST') throw new KmsError('InvalidAction', 'XKS API requests are POSTs.');
    const body = await readBoundedBody(request);
    const accessKeyId = await verifyProxySignature(deps, proxy, request, body);
    state.details.AccessKeyId = accessKeyId;
    state.actor = `xks:${proxy.name}/${accessKeyId}`;
    const fields = parseJsonObject(body);
    state.details = { ...state.details, ...requestMetadataDetails(fields, route.kind === 'health' ? [] : REQUIRED_METADATA) };
    const answer = await answerOf(deps.xks, proxy, route, fields, state);
    record(deps, state, null);
    reply(response, 200, answer, state.requestId);
  } catch (error) {
    refuse(deps, state, response, error);
  }
}

/** The signature must be by a live credential of this proxy, for the service kms-xks-proxy; returns its access key id. */
async function verifyProxySignature(deps: XksRequestDeps, proxy: XksProxyRow, request: IncomingMessage, body: Buffer): Promise<string> {
  const parts = { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body };
  const signature = parseSignature(parts, deps.now(), XKS_SIGNING_SERVICE);
  const secret = await deps.xks.signingSecret(proxy, signature.accessKeyId);
  try {
    await verifySignature(parts, signature, secret);
  } finally {
    secret.fill(0);
  }
  return signature.accessKeyId;
}

async function answerOf(xks: XksProxyGate, proxy: XksProxyRow, route: XksRoute, fields: Record<string, unknown>, state: XksCallState): Promise<Record<string, unknown>> {
  if (route.kind === 'health') return { ...(await xks.health.check(proxy)) };
  const key = xks.keys.resolve(proxy, route.xksKeyId);
  state.resource = key.id;
  switch (route.action) {
    case 'metadata':
      return { ...xks.keys.metadata(key) };
    case 'encrypt':
      return encryptResponseOf(await xks.keys.encrypt(key, encryptRequestOf(fields)));
    case 'decrypt': {
      const plaintext = await xks.keys.decrypt(key, decryptRequestOf(fields));
      try {
        return { plaintext: plaintext.toString('base64') };
      } finally {
        plaintext.fill(0);
      }
    }
  }
}

function refuse(deps: XksRequestDeps, state: XksCallState, response: ServerResponse, error: unknown): void {
  const code: ErrorCode = errorCodeOf(error) ?? 'InternalFailure';
  const message = error instanceof KmsError ? error.message : 'Internal failure; quote the request id when reporting it.';
  record(deps, state, code);
  if (response.headersSent || response.destroyed) return;
  if (code === 'RequestTooLarge') response.setHeader('Connection', 'close');
  if (code === 'InvalidAction') response.setHeader('Allow', 'POST');
  const { status, errorName } = xksErrorOf(code);
  response.setHeader('x-keyward-error-code', code);
  reply(response, status, { errorName, errorMessage: xksErrorMessage(message) }, state.requestId);
}

function record(deps: XksRequestDeps, state: XksCallState, errorCode: string | null): void {
  try {
    deps.gate.record({ ...state, protocol: 'xks', errorCode });
  } catch (error) {
    // The audit backlog is full or closing: the call's answer still goes out; the writer reports itself.
    console.error(`[keyward] endpoint could not record XKS call ${state.requestId}: ${error instanceof Error ? error.name : typeof error}`);
  }
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>, requestId: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    'Cache-Control': 'no-store',
  });
  response.end(text);
}
