import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { parseSignature, verifySignature, type SignedRequestParts } from '../../../../electron/main/transports/endpoint/sigv4-verifier';

const SECRET = 'access-key-secret-for-tests';
const SIGNED_AT = new Date('2026-12-06T12:00:00Z');

/** Signs the way the AWS SDK does, then hands the server-side view (lowercase headers, raw body). */
async function signedRequest(body: string, secret = SECRET): Promise<SignedRequestParts> {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'KAAP.test', secretAccessKey: secret }, region: 'keyward', service: 'kms', sha256: Hash.bind(null, 'sha256') });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: '127.0.0.1',
    port: 8443,
    path: '/',
    headers: { host: '127.0.0.1:8443', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
    body,
  });
  const signed = await signer.sign(request, { signingDate: SIGNED_AT });
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) };
}

describe('SigV4 verification', () => {
  it('accepts a request signed with the access key secret, inside the window', async () => {
    const parts = await signedRequest('{"KeyId":"k"}');
    const signature = parseSignature(parts, new Date(SIGNED_AT.getTime() + 60_000));
    expect(signature).toMatchObject({ accessKeyId: 'KAAP.test', region: 'keyward', service: 'kms' });
    await expect(verifySignature(parts, signature, Buffer.from(SECRET))).resolves.toBeUndefined();
  });

  it('refuses another secret, an altered body and an altered signed header', async () => {
    const parts = await signedRequest('{"KeyId":"k"}');
    const signature = parseSignature(parts, SIGNED_AT);
    await expect(verifySignature(parts, signature, Buffer.from('another secret'))).rejects.toMatchObject({ code: 'Unauthenticated.Signature' });
    await expect(verifySignature({ ...parts, body: Buffer.from('{"KeyId":"other"}') }, signature, Buffer.from(SECRET))).rejects.toMatchObject({ code: 'Unauthenticated.Signature' });
    const retargeted = { ...parts, headers: { ...parts.headers, 'x-amz-target': 'TrentService.Decrypt' } };
    await expect(verifySignature(retargeted, signature, Buffer.from(SECRET))).rejects.toMatchObject({ code: 'Unauthenticated.Signature' });
  });

  it('refuses a signature outside five minutes either way, and a malformed or missing one', async () => {
    const parts = await signedRequest('{}');
    expect(() => parseSignature(parts, new Date(SIGNED_AT.getTime() + 6 * 60_000))).toThrow(expect.objectContaining({ code: 'Unauthenticated.SignatureExpired' }));
    expect(() => parseSignature(parts, new Date(SIGNED_AT.getTime() - 6 * 60_000))).toThrow(expect.objectContaining({ code: 'Unauthenticated.SignatureExpired' }));
    expect(() => parseSignature({ ...parts, headers: { ...parts.headers, authorization: 'Bearer x' } }, SIGNED_AT)).toThrow(expect.objectContaining({ code: 'Unauthenticated.Signature' }));
    const { authorization: _dropped, ...unsigned } = parts.headers;
    expect(() => parseSignature({ ...parts, headers: unsigned }, SIGNED_AT)).toThrow(expect.objectContaining({ code: 'Unauthenticated.Signature' }));
  });
});
