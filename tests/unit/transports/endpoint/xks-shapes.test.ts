import { describe, expect, it } from 'vitest';
import { parseSignature } from '../../../../electron/main/transports/endpoint/sigv4-verifier';
import { xksErrorMessage, xksErrorOf } from '../../../../electron/main/transports/endpoint/xks-errors';
import { decryptRequestOf, encryptRequestOf, requestMetadataDetails } from '../../../../electron/main/transports/endpoint/xks-shapes';

const b64 = (length: number): string => Buffer.alloc(length, 7).toString('base64');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  return 'no error';
}

describe('XKS request bodies', () => {
  it('takes the spec’s minimum sizes (4,300-byte plaintext, 8,192-byte AAD) and answers 501 beyond them', () => {
    const request = encryptRequestOf({ plaintext: b64(4300), additionalAuthenticatedData: b64(8192), encryptionAlgorithm: 'AES_GCM', ciphertextDataIntegrityValueAlgorithm: 'SHA_256' });
    expect(request.plaintext).toHaveLength(4300);
    expect(request.aad).toHaveLength(8192);
    expect(request.integrityValue).toBe(true);
    expect(codeOf(() => encryptRequestOf({ plaintext: b64(4301), encryptionAlgorithm: 'AES_GCM' }))).toBe('UnsupportedOperation');
    expect(codeOf(() => encryptRequestOf({ plaintext: b64(1), additionalAuthenticatedData: b64(8193), encryptionAlgorithm: 'AES_GCM' }))).toBe('UnsupportedOperation');
  });

  it('refuses what is malformed as a validation error', () => {
    expect(codeOf(() => encryptRequestOf({ plaintext: b64(1), encryptionAlgorithm: 'AES_CBC' }))).toBe('InvalidParameter');
    expect(codeOf(() => encryptRequestOf({ plaintext: 'not base64!', encryptionAlgorithm: 'AES_GCM' }))).toBe('InvalidParameter');
    expect(codeOf(() => encryptRequestOf({ encryptionAlgorithm: 'AES_GCM' }))).toBe('InvalidParameter');
    expect(codeOf(() => encryptRequestOf({ plaintext: b64(1), encryptionAlgorithm: 'AES_GCM', ciphertextDataIntegrityValueAlgorithm: 'MD5' }))).toBe('InvalidParameter');
  });

  it('treats a wrong IV, tag or metadata length on decrypt as an invalid ciphertext', () => {
    const good = { ciphertext: b64(5), encryptionAlgorithm: 'AES_GCM', initializationVector: b64(12), authenticationTag: b64(16), ciphertextMetadata: b64(17) };
    expect(decryptRequestOf(good).iv).toHaveLength(12);
    expect(decryptRequestOf({ ...good, initializationVector: b64(16) }).iv).toHaveLength(16);
    expect(codeOf(() => decryptRequestOf({ ...good, initializationVector: b64(13) }))).toBe('InvalidCiphertext');
    expect(codeOf(() => decryptRequestOf({ ...good, authenticationTag: b64(12) }))).toBe('InvalidCiphertext');
    expect(codeOf(() => decryptRequestOf({ ...good, ciphertextMetadata: b64(20) }))).toBe('InvalidCiphertext');
  });

  it('requires the REQUIRED requestMetadata fields of key operations and keeps them for the audit', () => {
    const metadata = { awsPrincipalArn: 'arn:aws:iam::123456789012:user/Alice', kmsOperation: 'Encrypt', kmsRequestId: 'opaque id \u00e9', kmsKeyArn: 'arn:k' };
    expect(requestMetadataDetails({ requestMetadata: metadata }, ['awsPrincipalArn', 'kmsOperation', 'kmsRequestId'])).toEqual({
      AwsPrincipalArn: metadata.awsPrincipalArn,
      KmsOperation: 'Encrypt',
      KmsRequestId: 'opaque id ?',
      KmsKeyArn: 'arn:k',
    });
    expect(codeOf(() => requestMetadataDetails({ requestMetadata: { kmsOperation: 'Encrypt' } }, ['kmsRequestId']))).toBe('InvalidParameter');
    expect(codeOf(() => requestMetadataDetails({}, ['kmsRequestId']))).toBe('InvalidParameter');
    expect(requestMetadataDetails({}, [])).toEqual({});
  });
});

describe('XKS error answers (spec, Error Codes)', () => {
  it('maps Keyward refusals to the spec’s names and statuses', () => {
    expect(xksErrorOf('InvalidParameter')).toEqual({ status: 400, errorName: 'ValidationException' });
    expect(xksErrorOf('Forbidden.KeyState')).toEqual({ status: 400, errorName: 'InvalidStateException' });
    expect(xksErrorOf('InvalidCiphertext')).toEqual({ status: 400, errorName: 'InvalidCiphertextException' });
    expect(xksErrorOf('Forbidden.KeyUsage')).toEqual({ status: 400, errorName: 'InvalidKeyUsageException' });
    expect(xksErrorOf('Unauthenticated.SignatureExpired')).toEqual({ status: 401, errorName: 'AuthenticationFailedException' });
    expect(xksErrorOf('Forbidden.Permission')).toEqual({ status: 403, errorName: 'AccessDeniedException' });
    expect(xksErrorOf('NotFound.Key')).toEqual({ status: 404, errorName: 'KeyNotFoundException' });
    expect(xksErrorOf('NotFound.XksProxy')).toEqual({ status: 404, errorName: 'InvalidUriPathException' });
    expect(xksErrorOf('UnsupportedOperation')).toEqual({ status: 501, errorName: 'UnsupportedOperationException' });
    expect(xksErrorOf('Throttling.HsmSessionsBusy')).toEqual({ status: 503, errorName: 'DependencyTimeoutException' });
    expect(xksErrorOf('HsmError.DeviceError')).toEqual({ status: 500, errorName: 'InternalException' });
    expect(xksErrorMessage(`it’s ${'x'.repeat(600)}\u0000`)).toMatch(/^it's x+$/);
    expect(xksErrorMessage('x'.repeat(600))).toHaveLength(511);
  });

  it('refuses a SigV4 credential scope for another service when the endpoint fixes one', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const headers = {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEAKIDEXAMP/20261206/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
      'x-amz-date': '20261206T100000Z',
      host: 'h',
    };
    const parts = { method: 'POST', url: '/p/kms/xks/v1/health', headers, body: Buffer.alloc(0) };
    expect(parseSignature(parts, now).service).toBe('kms');
    expect(codeOf(() => parseSignature(parts, now, 'kms-xks-proxy'))).toBe('Unauthenticated.Signature');
    const xks = { ...parts, headers: { ...headers, authorization: headers.authorization.replace('/kms/', '/kms-xks-proxy/') } };
    expect(parseSignature(xks, now, 'kms-xks-proxy').region).toBe('us-east-1');
  });
});
