import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AwsServiceError, keywardToKmsResponse, kmsRequestToKeyward } from '../../../../electron/main/transports/endpoint/aws-kms-shapes';
import { keywardToSecretsResponse, secretsRequestToKeyward } from '../../../../electron/main/transports/endpoint/aws-secrets-shapes';

const arn = (keyId: string) => `acs:kms:r:o:key/${keyId}`;

describe('AWS KMS and Secrets Manager shapes', () => {
  it('turns Sign RAW into a SHA-256 digest, DIGEST into the digest itself, and AWS algorithm names into Keyward’s', () => {
    const message = Buffer.from('hello').toString('base64');
    expect(kmsRequestToKeyward('Sign', { KeyId: 'k', Message: message, MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).toEqual({
      operation: 'AsymmetricSign',
      input: { KeyId: 'k', Algorithm: 'RSA_PKCS1_SHA_256', Digest: createHash('sha256').update('hello').digest('base64') },
    });
    expect(kmsRequestToKeyward('Sign', { KeyId: 'k', Message: message, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }).input.Digest).toBe(message);
    expect(() => kmsRequestToKeyward('Sign', { KeyId: 'k', Message: message, SigningAlgorithm: 'SM2DSA' })).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
  });

  it('refuses AWS management operations as such and unknown ones as unknown', () => {
    expect(() => kmsRequestToKeyward('ScheduleKeyDeletion', {})).toThrow(expect.objectContaining({ code: 'Forbidden.ManagementOperation' }));
    expect(() => kmsRequestToKeyward('ReEncrypt', {})).toThrow(expect.objectContaining({ code: 'InvalidAction' }));
    expect(() => secretsRequestToKeyward('PutSecretValue', {})).toThrow(expect.objectContaining({ code: 'InvalidAction' }));
  });

  it('answers key ids as ARNs and reports a failed Verify as AWS does (an error)', () => {
    expect(keywardToKmsResponse('Encrypt', {}, { KeyId: 'k1', CiphertextBlob: 'Y2lwaGVy' }, arn)).toEqual({ CiphertextBlob: 'Y2lwaGVy', KeyId: arn('k1'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(() => keywardToKmsResponse('Verify', { SigningAlgorithm: 'ECDSA_SHA_256' }, { KeyId: 'k1', Value: false }, arn)).toThrow(AwsServiceError);
    expect(keywardToKmsResponse('GetPublicKey', {}, { KeyId: 'k1', PublicKey: '-----BEGIN PUBLIC KEY-----\nAAEC\nAwQ=\n-----END PUBLIC KEY-----\n' }, arn)).toEqual({ KeyId: arn('k1'), PublicKey: 'AAECAwQ=' });
  });

  it('maps AWSCURRENT/AWSPREVIOUS to ACSCurrent/ACSPrevious and back, and SecretId ARNs to names', () => {
    expect(secretsRequestToKeyward('GetSecretValue', { SecretId: 'acs:kms:r:o:secret/app/db', VersionStage: 'AWSPREVIOUS' })).toEqual({
      operation: 'GetSecretValue',
      input: { SecretName: 'app/db', VersionStage: 'ACSPrevious' },
    });
    expect(keywardToSecretsResponse({ SecretName: 'app/db', VersionId: 'v1', VersionStages: ['ACSCurrent'], SecretData: 'AAE=', SecretDataType: 'binary', CreateTime: '2026-12-06T12:00:00Z' })).toEqual({
      Name: 'app/db',
      VersionId: 'v1',
      VersionStages: ['AWSCURRENT'],
      SecretBinary: 'AAE=',
      CreatedDate: Date.parse('2026-12-06T12:00:00Z') / 1000,
    });
  });
});
