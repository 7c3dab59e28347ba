import { createHash } from 'node:crypto';
import { isOperationName, type KeyMetadata } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/** A Keyward operation and its input, translated from an AWS request. */
export interface KeywardCall {
  operation: string;
  input: Record<string, unknown>;
}

type Fields = Record<string, unknown>;

/** The KMS operations an unmodified AWS SDK may call, with the Keyward operation each becomes. */
export const KMS_OPERATIONS: Record<string, string> = {
  Encrypt: 'Encrypt',
  Decrypt: 'Decrypt',
  GenerateDataKey: 'GenerateDataKey',
  GenerateDataKeyWithoutPlaintext: 'GenerateDataKeyWithoutPlaintext',
  Sign: 'AsymmetricSign',
  Verify: 'AsymmetricVerify',
  GetPublicKey: 'GetPublicKey',
  GenerateMac: 'GenerateMac',
  VerifyMac: 'VerifyMac',
  DescribeKey: 'DescribeKey',
};

const SIGNING_ALGORITHMS: Record<string, string> = {
  ECDSA_SHA_256: 'ECDSA_SHA_256',
  RSASSA_PKCS1_V1_5_SHA_256: 'RSA_PKCS1_SHA_256',
  RSASSA_PSS_SHA_256: 'RSA_PSS_SHA_256',
  ED25519_SHA_512: 'ED25519_SHA_512',
};

/** Translates an AWS KMS request body; fields Keyward has no use for (GrantTokens, DryRun…) are ignored. */
export function kmsRequestToKeyward(awsOperation: string, body: Fields): KeywardCall {
  const operation = KMS_OPERATIONS[awsOperation];
  if (operation === undefined) {
    // AWS names its management operations as Keyward does (CreateKey, ScheduleKeyDeletion…): those are refused as such.
    if (isOperationName(awsOperation)) throw new KmsError('Forbidden.ManagementOperation', `${awsOperation} is not served to applications.`);
    throw new KmsError('InvalidAction', `TrentService.${printable(awsOperation)} is not served by Keyward.`);
  }
  const pick = (...names: string[]): Fields => Object.fromEntries(names.filter((name) => body[name] !== undefined).map((name) => [name, body[name]]));
  switch (awsOperation) {
    case 'Encrypt':
      return { operation, input: pick('KeyId', 'Plaintext', 'EncryptionContext') };
    case 'Decrypt':
      return { operation, input: pick('CiphertextBlob', 'EncryptionContext') };
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
      return { operation, input: pick('KeyId', 'KeySpec', 'NumberOfBytes', 'EncryptionContext') };
    case 'Sign':
      return { operation, input: { KeyId: body.KeyId, ...signatureFields(body) } };
    case 'Verify':
      return { operation, input: { KeyId: body.KeyId, ...signatureFields(body), Value: body.Signature } };
    case 'GenerateMac':
      requireHmacSha256Or512(body.MacAlgorithm);
      return { operation, input: pick('KeyId', 'Message') };
    case 'VerifyMac':
      requireHmacSha256Or512(body.MacAlgorithm);
      return { operation, input: pick('KeyId', 'Message', 'Mac') };
    default:
      return { operation, input: pick('KeyId') };
  }
}

/** Translates a Keyward output to the AWS response shape; `arn` names a key id the way AWS does. */
export function keywardToKmsResponse(awsOperation: string, request: Fields, output: Fields, arn: (keyId: string) => string): Fields {
  const keyId = typeof output.KeyId === 'string' ? arn(output.KeyId) : undefined;
  switch (awsOperation) {
    case 'Encrypt':
      return { CiphertextBlob: output.CiphertextBlob, KeyId: keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    case 'Decrypt':
      return { Plaintext: output.Plaintext, KeyId: keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    case 'GenerateDataKey':
      return { CiphertextBlob: output.CiphertextBlob, Plaintext: output.Plaintext, KeyId: keyId };
    case 'GenerateDataKeyWithoutPlaintext':
      return { CiphertextBlob: output.CiphertextBlob, KeyId: keyId };
    case 'Sign':
      return { KeyId: keyId, Signature: output.Value, SigningAlgorithm: request.SigningAlgorithm };
    case 'Verify':
      if (output.Value !== true) throw new AwsServiceError('KMSInvalidSignatureException', 'The signature is not valid.');
      return { KeyId: keyId, SignatureValid: true, SigningAlgorithm: request.SigningAlgorithm };
    case 'GetPublicKey':
      return { KeyId: keyId, PublicKey: pemToDerBase64(String(output.PublicKey)) };
    case 'GenerateMac':
      return { KeyId: keyId, Mac: output.Mac, MacAlgorithm: request.MacAlgorithm };
    case 'VerifyMac':
      if (output.MacValid !== true) throw new AwsServiceError('KMSInvalidMacException', 'The MAC is not valid.');
      return { KeyId: keyId, MacValid: true, MacAlgorithm: request.MacAlgorithm };
    default:
      return { KeyMetadata: awsKeyMetadata(output.KeyMetadata as KeyMetadata) };
  }
}

/** An answer the AWS protocol gives as an error though Keyward answered (Verify with a bad signature). */
export class AwsServiceError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/** AWS Sign/Verify carry the message (RAW) or its digest (DIGEST); Keyward always takes the digest, except for Ed25519. */
function signatureFields(body: Fields): Fields {
  const algorithm = typeof body.SigningAlgorithm === 'string' ? SIGNING_ALGORITHMS[body.SigningAlgorithm] : undefined;
  if (algorithm === undefined) throw new KmsError('InvalidParameter', 'SigningAlgorithm must be ECDSA_SHA_256, RSASSA_PKCS1_V1_5_SHA_256, RSASSA_PSS_SHA_256 or ED25519_SHA_512.');
  const messageType = body.MessageType ?? 'RAW';
  if (messageType !== 'RAW' && messageType !== 'DIGEST') throw new KmsError('InvalidParameter', 'MessageType must be RAW or DIGEST.');
  if (typeof body.Message !== 'string') throw new KmsError('MissingParameter', 'Message is required.');
  if (messageType === 'DIGEST' || algorithm === 'ED25519_SHA_512') return { Algorithm: algorithm, Digest: body.Message };
  const digest = createHash('sha256').update(Buffer.from(body.Message, 'base64')).digest('base64');
  return { Algorithm: algorithm, Digest: digest };
}

function requireHmacSha256Or512(algorithm: unknown): void {
  if (algorithm !== undefined && algorithm !== 'HMAC_SHA_256' && algorithm !== 'HMAC_SHA_512') {
    throw new KmsError('InvalidParameter', 'MacAlgorithm must be HMAC_SHA_256 or HMAC_SHA_512 (the key’s own).');
  }
}

const KEY_SPECS: Record<string, string> = {
  Aliyun_AES_256: 'SYMMETRIC_DEFAULT',
  Aliyun_AES_128: 'SYMMETRIC_DEFAULT',
  Aliyun_AES_192: 'SYMMETRIC_DEFAULT',
  RSA_2048: 'RSA_2048',
  RSA_3072: 'RSA_3072',
  RSA_4096: 'RSA_4096',
  EC_P256: 'ECC_NIST_P256',
  EC_P256K: 'ECC_SECG_P256K1',
  HMAC_SHA256: 'HMAC_256',
  HMAC_SHA512: 'HMAC_512',
  EC_ED25519: 'ECC_NIST_EDWARDS25519',
};

function awsKeyMetadata(metadata: KeyMetadata): Fields {
  const keySpec = KEY_SPECS[metadata.KeySpec] ?? metadata.KeySpec;
  const keyUsage = metadata.KeyUsage.replace('/', '_');
  const signing = metadata.KeyUsage === 'SIGN/VERIFY' ? { SigningAlgorithms: signingAlgorithmsFor(metadata.KeySpec) } : {};
  return {
    KeyId: metadata.KeyId,
    Arn: metadata.Arn,
    CreationDate: Date.parse(metadata.CreationDate) / 1000,
    Enabled: metadata.KeyState === 'Enabled',
    Description: metadata.Description,
    KeyUsage: keyUsage,
    KeyState: metadata.KeyState,
    Origin: metadata.Origin === 'EXTERNAL' ? 'EXTERNAL' : 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: keySpec,
    CustomerMasterKeySpec: keySpec,
    ...(metadata.KeyUsage === 'ENCRYPT/DECRYPT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
    ...signing,
    ...(metadata.DeleteDate ? { DeletionDate: Date.parse(metadata.DeleteDate) / 1000 } : {}),
  };
}

function signingAlgorithmsFor(keySpec: string): string[] {
  if (keySpec.startsWith('RSA_')) return ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256'];
  if (keySpec === 'EC_ED25519') return ['ED25519_SHA_512'];
  return ['ECDSA_SHA_256'];
}

function pemToDerBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
}

function printable(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
