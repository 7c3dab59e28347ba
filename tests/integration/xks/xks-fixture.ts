/**
 * An XKS caller as AWS KMS is one: SigV4 (service kms-xks-proxy) with a proxy credential, over the
 * endpoint's mutual TLS with a client key certificate of the instance CA.
 */
import type { Agent } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { post, type RawAnswer } from '../endpoint/endpoint-fixture';

export interface XksCredential {
  AccessKeyId: string;
  SecretAccessKey: string;
}

export interface SignOptions {
  service?: string;
  region?: string;
  signingDate?: Date;
  /** Sent instead of the signed body (a body altered after signing). */
  sentBody?: string;
  /** Signed headers besides host and content-type (which this replaces when given). */
  headers?: Record<string, string>;
}

export const METADATA = {
  awsPrincipalArn: 'arn:aws:iam::123456789012:user/Alice',
  kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  kmsOperation: 'Encrypt',
  kmsRequestId: '4112f4d6-db54-4af4-ae30-c55a22a8dfae',
};

export interface XksAnswer extends RawAnswer {
  json: Record<string, unknown>;
}

/** POSTs `body` (an object as JSON, a string as it is) to `path`, signed with `credential` as AWS KMS signs XKS requests. */
export async function xksPost(port: number, agent: Agent, path: string, body: object | string, credential: XksCredential, options: SignOptions = {}): Promise<XksAnswer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.AccessKeyId, secretAccessKey: credential.SecretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kms-xks-proxy',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: '127.0.0.1',
    port,
    path,
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...options.headers },
    body: text,
  });
  const signed = await signer.sign(request, { signingDate: options.signingDate ?? new Date() });
  const answer = await post(port, agent, path, options.sentBody ?? text, signed.headers);
  return { ...answer, json: parsedAnswer(answer.body) };
}

function parsedAnswer(body: string): Record<string, unknown> {
  if (!body) return {};
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { unparsed: body };
  }
}
