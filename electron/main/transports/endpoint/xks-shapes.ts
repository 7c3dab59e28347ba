import { KmsError } from '../../../../shared/errors';
import {
  CIPHERTEXT_METADATA_BYTES,
  MAX_XKS_AAD_BYTES,
  MAX_XKS_PLAINTEXT_BYTES,
  XKS_TAG_BYTES,
} from '../../services/xks/xks-ciphertext';
import type { XksDecryptRequest, XksEncryptRequest, XksEncryptResult } from '../../services/xks/xks-key-operations';

/*
 * The request and response bodies of the XKS Proxy API (spec, "Encrypt", "Decrypt",
 * "GetKeyMetadata", Appendix B): Base64 fields decoded and bounded, requestMetadata checked for its
 * REQUIRED fields and kept for the audit record (its values are opaque: kmsRequestId is not parsed).
 */

type Fields = Record<string, unknown>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** ARNs may be 2048 characters (spec); longer metadata values are refused rather than clipped silently. */
const MAX_METADATA_VALUE = 2048;
/** What the audit record keeps of each requestMetadata value. */
const AUDITED_METADATA_CHARS = 512;
/** Read bound of the small fixed-size fields, whose exact lengths are checked afterwards. */
const FIELD_CAP_BYTES = 64;
const AUDITED_METADATA: Record<string, string> = {
  awsPrincipalArn: 'AwsPrincipalArn',
  awsSourceVpc: 'AwsSourceVpc',
  awsSourceVpce: 'AwsSourceVpce',
  kmsKeyArn: 'KmsKeyArn',
  kmsOperation: 'KmsOperation',
  kmsRequestId: 'KmsRequestId',
  kmsViaService: 'KmsViaService',
};

/**
 * The requestMetadata fields as audit details. `required` are the fields the API marks REQUIRED
 * (kmsRequestId and kmsOperation everywhere, awsPrincipalArn for key operations); health is lenient.
 */
export function requestMetadataDetails(body: Fields, required: readonly string[]): Record<string, string> {
  const metadata = body.requestMetadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    if (required.length === 0) return {};
    throw new KmsError('InvalidParameter', 'requestMetadata is required and must be an object.');
  }
  const fields = metadata as Fields;
  const details: Record<string, string> = {};
  for (const [field, detail] of Object.entries(AUDITED_METADATA)) {
    const value = fields[field];
    if (value === undefined) {
      if (required.includes(field)) throw new KmsError('InvalidParameter', `requestMetadata.${field} is required.`);
      continue;
    }
    if (typeof value !== 'string' || value.length > MAX_METADATA_VALUE) {
      throw new KmsError('InvalidParameter', `requestMetadata.${field} must be a string of at most ${MAX_METADATA_VALUE} characters.`);
    }
    details[detail] = value.replace(/[^\x20-\x7e]/g, '?').slice(0, AUDITED_METADATA_CHARS);
  }
  return details;
}

export function encryptRequestOf(body: Fields): XksEncryptRequest {
  requireAesGcm(body);
  const algorithm = body.ciphertextDataIntegrityValueAlgorithm;
  if (algorithm !== undefined && algorithm !== 'SHA_256') throw new KmsError('InvalidParameter', 'ciphertextDataIntegrityValueAlgorithm must be SHA_256.');
  return {
    plaintext: required(body, 'plaintext', MAX_XKS_PLAINTEXT_BYTES),
    aad: optional(body, 'additionalAuthenticatedData', MAX_XKS_AAD_BYTES),
    integrityValue: algorithm === 'SHA_256',
  };
}

export function decryptRequestOf(body: Fields): XksDecryptRequest {
  requireAesGcm(body);
  const iv = required(body, 'initializationVector', FIELD_CAP_BYTES);
  const tag = required(body, 'authenticationTag', FIELD_CAP_BYTES);
  // Wrong lengths are a damaged ciphertext, not a malformed request (spec: InvalidCiphertextException).
  if (iv.length !== 12 && iv.length !== 16) throw new KmsError('InvalidCiphertext', 'initializationVector must be 12 or 16 bytes.');
  if (tag.length !== XKS_TAG_BYTES) throw new KmsError('InvalidCiphertext', `authenticationTag must be ${XKS_TAG_BYTES} bytes.`);
  const ciphertextMetadata = optional(body, 'ciphertextMetadata', FIELD_CAP_BYTES);
  if (ciphertextMetadata && ciphertextMetadata.length !== CIPHERTEXT_METADATA_BYTES) {
    throw new KmsError('InvalidCiphertext', 'The ciphertextMetadata was not made by this proxy.');
  }
  return {
    ciphertext: required(body, 'ciphertext', MAX_XKS_PLAINTEXT_BYTES),
    ciphertextMetadata,
    aad: optional(body, 'additionalAuthenticatedData', MAX_XKS_AAD_BYTES),
    iv,
    tag,
  };
}

export function encryptResponseOf(result: XksEncryptResult): Fields {
  return {
    ciphertext: result.ciphertext.toString('base64'),
    ciphertextMetadata: result.ciphertextMetadata.toString('base64'),
    initializationVector: result.iv.toString('base64'),
    authenticationTag: result.tag.toString('base64'),
    ...(result.integrityValue ? { ciphertextDataIntegrityValue: result.integrityValue.toString('base64') } : {}),
  };
}

function requireAesGcm(body: Fields): void {
  if (body.encryptionAlgorithm !== 'AES_GCM') throw new KmsError('InvalidParameter', 'encryptionAlgorithm must be AES_GCM.');
}

function required(body: Fields, field: string, maxBytes: number): Buffer {
  const value = optional(body, field, maxBytes);
  if (value === null) throw new KmsError('InvalidParameter', `${field} is required.`);
  return value;
}

/** A Base64 field; beyond what the spec requires a proxy to take is UnsupportedOperationException (501). */
function optional(body: Fields, field: string, maxBytes: number): Buffer | null {
  const value = body[field];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !BASE64.test(value)) throw new KmsError('InvalidParameter', `${field} must be a Base64 string.`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length > maxBytes) throw new KmsError('UnsupportedOperation', `${field} is longer than the ${maxBytes} bytes this proxy takes.`);
  return bytes;
}
