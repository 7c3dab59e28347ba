/**
 * Keyward's XKS client signs as AWS KMS signs calls to an XKS proxy: checked against a SigV4
 * computed here from the AWS steps alone (itself first checked against a vector of AWS's SigV4
 * test suite), and against Keyward's own endpoint verifier. A local HTTPS server with a
 * self-signed certificate captures what the client sends; the clock is fixed.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XksProxyClient } from '../../../electron/main/services/external/xks-proxy-client';
import { parseSignature, verifySignature, type SignedRequestParts } from '../../../electron/main/transports/endpoint/sigv4-verifier';
import { KmsError } from '../../../shared/errors';
import { selfSignedIdentity } from './xks-test-tls';

const SIGNING_TIME = new Date('2026-01-02T03:04:05.000Z');
const ACCESS_KEY_ID = 'KEYWARDSIGNINGTEST234567';
const SECRET = 'c2lnbmluZy10ZXN0LXNlY3JldC1rZXktZm9yLWtleXdhcmQ';
const REGION = 'keyward-test';
const URI_PATH = '/signing/kms/xks/v1';

interface SigV4Input {
  method: string;
  /** Path as sent, already URI-encoded once. */
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Buffer;
  accessKeyId: string;
  secret: string;
  region: string;
  service: string;
  /** YYYYMMDD'T'HHMMSS'Z' */
  amzDate: string;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The AWS SigV4 steps as written: canonical request, string to sign, signing key, Authorization. */
function independentAuthorization(input: SigV4Input): string {
  // Every service but S3 encodes each path segment once more.
  const canonicalUri = input.path.split('/').map(rfc3986).join('/');
  const canonicalQuery = [...new URLSearchParams(input.query)]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const names = Object.keys(input.headers).map((name) => name.toLowerCase()).sort();
  const valueOf = (name: string): string => Object.entries(input.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
  const canonicalHeaders = names.map((name) => `${name}:${valueOf(name).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [input.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, sha256Hex(input.body)].join('\n');
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.secret}`, date), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

describe('XksProxyClient request signing', () => {
  const identity = selfSignedIdentity('signing-test-proxy');
  const captured: SignedRequestParts[] = [];
  let server: Server;
  let port: number;
  let client: XksProxyClient;

  beforeAll(async () => {
    server = createServer({ cert: identity.cert, key: identity.key }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        captured.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ xksProxyFleetSize: 1, xksProxyVendor: 'Test', xksProxyModel: 'Capture', ekmFleetDetails: [{ id: 'hsm-1', model: 'None', healthStatus: 'ACTIVE' }], ekmVendor: 'Test' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = new XksProxyClient(
      { uriEndpoint: `https://127.0.0.1:${port}`, uriPath: URI_PATH, caCertificate: identity.cert, accessKeyId: ACCESS_KEY_ID },
      SECRET,
      { region: REGION, now: () => SIGNING_TIME },
    );
  });
  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function capturedHealthCall(): Promise<SignedRequestParts> {
    const before = captured.length;
    await client.health({ kmsOperation: 'KmsHealthCheck', kmsRequestId: 'fixed-request-id' });
    expect(captured).toHaveLength(before + 1);
    return captured[before] as SignedRequestParts;
  }

  it('the independent SigV4 reproduces AWS’s test-suite vector get-vanilla-query-order-key-case', () => {
    expect(
      independentAuthorization({
        method: 'GET',
        path: '/',
        query: 'Param2=value2&Param1=value1',
        headers: { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' },
        body: Buffer.alloc(0),
        accessKeyId: 'AKIDEXAMPLE',
        secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        region: 'us-east-1',
        service: 'service',
        amzDate: '20150830T123600Z',
      }),
    ).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('signs for kms-xks-proxy exactly as the SigV4 steps give, over the headers AWS KMS signs', async () => {
    const sent = await capturedHealthCall();
    expect([sent.method, sent.url]).toEqual(['POST', `${URI_PATH}/health`]);
    expect(JSON.parse(sent.body.toString('utf8'))).toEqual({ requestMetadata: { kmsOperation: 'KmsHealthCheck', kmsRequestId: 'fixed-request-id' } });
    const signedHeaders = {
      host: `127.0.0.1:${port}`,
      'content-type': 'application/json',
      'x-amz-date': '20260102T030405Z',
      'x-amz-content-sha256': sha256Hex(sent.body),
    };
    expect(sent.headers).toMatchObject(signedHeaders);
    const expected = independentAuthorization({
      method: 'POST',
      path: `${URI_PATH}/health`,
      query: '',
      headers: signedHeaders,
      body: sent.body,
      accessKeyId: ACCESS_KEY_ID,
      secret: SECRET,
      region: REGION,
      service: 'kms-xks-proxy',
      amzDate: '20260102T030405Z',
    });
    expect(sent.headers.authorization).toBe(expected);
    expect(expected).toContain(`/20260102/${REGION}/kms-xks-proxy/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, `);
  });

  it('is accepted by Keyward’s own endpoint verifier, which refuses the request once a body byte changes', async () => {
    const sent = await capturedHealthCall();
    const parsed = parseSignature(sent, SIGNING_TIME, 'kms-xks-proxy');
    expect(parsed).toMatchObject({ accessKeyId: ACCESS_KEY_ID, region: REGION, service: 'kms-xks-proxy' });
    await expect(verifySignature(sent, parsed, Buffer.from(SECRET))).resolves.toBeUndefined();
    await expect(verifySignature(sent, parsed, Buffer.from(`${SECRET.slice(0, -1)}X`))).rejects.toMatchObject({ code: 'Unauthenticated.Signature' });

    const body = Buffer.from(sent.body);
    body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x01;
    await expect(verifySignature({ ...sent, body }, parsed, Buffer.from(SECRET))).rejects.toBeInstanceOf(KmsError);
    // Also with the payload hash header gone, so the signature itself (not the header check) refuses.
    const { 'x-amz-content-sha256': _hash, ...withoutHash } = sent.headers;
    const signedWithoutHash = { ...parsed, signedHeaders: parsed.signedHeaders.filter((name) => name !== 'x-amz-content-sha256') };
    await expect(verifySignature({ ...sent, headers: withoutHash as IncomingHttpHeaders, body }, signedWithoutHash, Buffer.from(SECRET))).rejects.toMatchObject({
      code: 'Unauthenticated.Signature',
      message: expect.stringContaining('request signature does not match'),
    });
    // Outside the five-minute window the same request is a replay.
    expect(() => parseSignature(sent, new Date(SIGNING_TIME.getTime() + 6 * 60_000), 'kms-xks-proxy')).toThrow(/window/);
  });

  it('signs the body it sends for encrypt, key id in the path included', async () => {
    const before = captured.length;
    await expect(client.encrypt('key.with_chars-1', Buffer.from('inner layer'), Buffer.alloc(32, 1), { awsPrincipalArn: 'arn:keyward:iam::1:user/t', kmsOperation: 'Encrypt', kmsRequestId: 'r-1' })).rejects.toMatchObject({
      // The capture server answers health's shape to every call: the client refuses it for encrypt.
      code: 'XksProxy.InvalidResponse',
    });
    const sent = captured[before] as SignedRequestParts;
    expect(sent.url).toBe(`${URI_PATH}/keys/key.with_chars-1/encrypt`);
    expect(JSON.parse(sent.body.toString('utf8'))).toMatchObject({ plaintext: Buffer.from('inner layer').toString('base64'), encryptionAlgorithm: 'AES_GCM', ciphertextDataIntegrityValueAlgorithm: 'SHA_256' });
    await expect(verifySignature(sent, parseSignature(sent, SIGNING_TIME, 'kms-xks-proxy'), Buffer.from(SECRET))).resolves.toBeUndefined();
  });
});
