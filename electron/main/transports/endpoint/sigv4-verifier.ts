import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError } from '../../../../shared/errors';

/** How far a request's X-Amz-Date may be from the endpoint's clock (AWS allows the same). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface SignedRequestParts {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ParsedSignature {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signingDate: Date;
  /** The Signature field, lowercase hex. */
  signatureHex: string;
}

/**
 * Reads the SigV4 Authorization header; refuses a malformed one, a date outside the window, or a
 * credential scope naming another service than `expectedService` (when the endpoint fixes one).
 */
export function parseSignature(parts: SignedRequestParts, now: Date, expectedService?: string): ParsedSignature {
  const authorization = single(parts.headers.authorization);
  const match = AUTHORIZATION.exec(authorization);
  if (!match) throw new KmsError('Unauthenticated.Signature', 'The request is not signed with AWS Signature Version 4.');
  const [, accessKeyId = '', shortDate = '', region = '', service = '', signedHeaderList = '', signatureHex = ''] = match;
  const signingDate = parseAmzDate(single(parts.headers['x-amz-date']));
  if (!signingDate || !signingDate.toISOString().replace(/-/g, '').startsWith(shortDate)) {
    throw new KmsError('Unauthenticated.Signature', 'The request’s X-Amz-Date is missing or does not match its credential scope.');
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > SIGNATURE_WINDOW_MS) {
    throw new KmsError('Unauthenticated.SignatureExpired', 'The signature is outside its five-minute window (replayed, or the client’s clock is wrong).');
  }
  if (expectedService !== undefined && service !== expectedService) {
    throw new KmsError('Unauthenticated.Signature', `The signature’s credential scope must name the service ${expectedService}.`);
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    throw new KmsError('Unauthenticated.Signature', 'The signature must cover the Host and X-Amz-Date headers.');
  }
  return { accessKeyId, region, service, signedHeaders, signingDate, signatureHex };
}

/** Signs the received request again with the client key's access key secret and compares, in constant time. */
export async function verifySignature(parts: SignedRequestParts, signature: ParsedSignature, secret: Buffer): Promise<void> {
  // The signer trusts an X-Amz-Content-SHA256 header over the body; the body it vouches for must be this one.
  const declaredPayloadHash = parts.headers['x-amz-content-sha256'];
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== createHash('sha256').update(parts.body).digest('hex')) {
    throw new KmsError('Unauthenticated.Signature', 'The request body does not match its X-Amz-Content-SHA256 header.');
  }
  const [path = '/', query = ''] = parts.url.split('?', 2);
  const headers: Record<string, string> = {};
  for (const name of signature.signedHeaders) {
    const value = parts.headers[name];
    if (value === undefined) throw new KmsError('Unauthenticated.Signature', `The signed header ${name} is missing.`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: signature.accessKeyId, secretAccessKey: secret.toString('utf8') },
    region: signature.region,
    service: signature.service,
    sha256: Hash.bind(null, 'sha256'),
    // Only what the client signed is signed again: x-amz-content-sha256 is not added.
    applyChecksum: false,
  });
  const request = new HttpRequest({ method: parts.method, protocol: 'https:', hostname: headers.host ?? '', path, query: parseQuery(query), headers, body: parts.body });
  const signed = await signer.sign(request, {
    signingDate: signature.signingDate,
    signingRegion: signature.region,
    signingService: signature.service,
    signableHeaders: new Set(signature.signedHeaders),
  });
  const recomputed = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const expected = Buffer.from(recomputed, 'hex');
  const received = Buffer.from(signature.signatureHex, 'hex');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new KmsError('Unauthenticated.Signature', 'The request signature does not match (wrong access key secret, or the request was altered).');
  }
}

function parseAmzDate(value: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parseQuery(query: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = result[key];
    result[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
