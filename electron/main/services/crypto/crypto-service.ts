import { randomBytes } from 'node:crypto';
import type { OperationName, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { ecdsaDerToRaw, ecdsaRawToDer, publicKeyToPem } from '../../hsm';
import type { KeyRow, KeyVersionRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyResolver } from '../keys/key-resolver';
import { ecCoordinateBytes, isAsymmetricSpec, isSymmetricSpec, signMechanismFor } from '../keys/key-specs';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { additionalData, assembleBlob, encodeHeader, IV_BYTES, parseBlob } from './ciphertext-blob';

/** Cryptographic operations: all key material stays in the HSM; only results cross back. */
export class CryptoService {
  constructor(
    private readonly connections: KeyStoreConnections,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
  ) {}

  encrypt(input: ParsedInput<'Encrypt'>, request: RequestContext): Promise<OperationResult<'Encrypt'>> {
    return this.used('Encrypt', input.KeyId, request, async () => {
      const key = this.resolver.resolve(input.KeyId);
      this.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
      if (!isSymmetricSpec(key.keySpec)) {
        throw new KmsError('Forbidden.KeyUsage', `Encrypt needs a symmetric key; use AsymmetricEncrypt with ${key.keySpec}.`);
      }
      const version = this.resolver.version(key, undefined);
      const header = encodeHeader({ keyId: key.id, keyVersionId: version.id });
      const iv = randomBytes(IV_BYTES);
      const sealed = await this.onToken(key, { aesGcm: true }, (token) =>
        token.client.encrypt({
          serial: token.serial,
          objectId: version.objectId,
          mechanism: { kind: 'AES_GCM', iv, aad: additionalData(header, input.EncryptionContext), tagBits: 128 },
          data: Buffer.from(input.Plaintext, 'base64'),
        }),
      );
      return {
        result: { CiphertextBlob: assembleBlob(header, iv, sealed).toString('base64'), KeyId: key.id, KeyVersionId: version.id },
        keyId: key.id,
      };
    });
  }

  decrypt(input: ParsedInput<'Decrypt'>, request: RequestContext): Promise<OperationResult<'Decrypt'>> {
    const blob = parseBlob(Buffer.from(input.CiphertextBlob, 'base64'));
    return this.used('Decrypt', blob.keyId, request, async () => {
      const key = this.resolver.resolve(blob.keyId);
      this.resolver.requireUsable(key, 'ENCRYPT/DECRYPT');
      let version: KeyVersionRow;
      try {
        version = this.resolver.version(key, blob.keyVersionId);
      } catch {
        throw new KmsError('InvalidCiphertext', 'The ciphertext names a key version that does not exist.');
      }
      const plaintext = await this.onToken(key, { aesGcm: true }, (token) =>
        token.client.decrypt({
          serial: token.serial,
          objectId: version.objectId,
          mechanism: { kind: 'AES_GCM', iv: blob.iv, aad: additionalData(blob.header, input.EncryptionContext), tagBits: 128 },
          data: blob.sealed,
        }),
      );
      return { result: { Plaintext: plaintext.toString('base64'), KeyId: key.id, KeyVersionId: version.id }, keyId: key.id };
    });
  }

  sign(input: ParsedInput<'AsymmetricSign'>, request: RequestContext): Promise<OperationResult<'AsymmetricSign'>> {
    return this.used('AsymmetricSign', input.KeyId, request, async () => {
      const { key, version } = this.signingKey(input.KeyId, input.KeyVersionId);
      const mechanism = signMechanismFor(key.keySpec, input.Algorithm);
      const signature = await this.onToken(key, {}, (token) =>
        token.client.sign({ serial: token.serial, objectId: version.objectId, mechanism, data: Buffer.from(input.Digest, 'base64') }),
      );
      const value = mechanism === 'ECDSA' ? ecdsaRawToDer(signature) : signature;
      return { result: { KeyId: key.id, KeyVersionId: version.id, Value: value.toString('base64') }, keyId: key.id };
    });
  }

  verify(input: ParsedInput<'AsymmetricVerify'>, request: RequestContext): Promise<OperationResult<'AsymmetricVerify'>> {
    return this.used('AsymmetricVerify', input.KeyId, request, async () => {
      const { key, version } = this.signingKey(input.KeyId, input.KeyVersionId);
      const mechanism = signMechanismFor(key.keySpec, input.Algorithm);
      const given = Buffer.from(input.Value, 'base64');
      const signature = mechanism === 'ECDSA' ? derSignatureToRaw(given, ecCoordinateBytes(key.keySpec)) : given;
      const valid =
        signature !== null &&
        (await this.onToken(key, {}, (token) =>
          token.client.verify({ serial: token.serial, objectId: version.objectId, mechanism, data: Buffer.from(input.Digest, 'base64'), signature }),
        ));
      return { result: { KeyId: key.id, KeyVersionId: version.id, Value: valid }, keyId: key.id };
    });
  }

  generateMac(input: ParsedInput<'GenerateMac'>, request: RequestContext): Promise<OperationResult<'GenerateMac'>> {
    return this.used('GenerateMac', input.KeyId, request, async () => {
      const { key, version, mechanism } = this.macKey(input.KeyId, input.KeyVersionId);
      const mac = await this.onToken(key, {}, (token) =>
        token.client.sign({ serial: token.serial, objectId: version.objectId, mechanism, data: Buffer.from(input.Message, 'base64') }),
      );
      return { result: { KeyId: key.id, KeyVersionId: version.id, Mac: mac.toString('base64') }, keyId: key.id };
    });
  }

  verifyMac(input: ParsedInput<'VerifyMac'>, request: RequestContext): Promise<OperationResult<'VerifyMac'>> {
    return this.used('VerifyMac', input.KeyId, request, async () => {
      const { key, version, mechanism } = this.macKey(input.KeyId, input.KeyVersionId);
      const valid = await this.onToken(key, {}, (token) =>
        token.client.verify({
          serial: token.serial,
          objectId: version.objectId,
          mechanism,
          data: Buffer.from(input.Message, 'base64'),
          signature: Buffer.from(input.Mac, 'base64'),
        }),
      );
      return { result: { KeyId: key.id, KeyVersionId: version.id, MacValid: valid }, keyId: key.id };
    });
  }

  async publicKey(input: ParsedInput<'GetPublicKey'>): Promise<OperationResult<'GetPublicKey'>> {
    const key = this.resolver.resolve(input.KeyId);
    if (!isAsymmetricSpec(key.keySpec)) {
      throw new KmsError('Forbidden.KeyUsage', `${key.keySpec} keys have no public key.`);
    }
    if (key.keyState === 'PendingImport' || key.keyState === 'PendingDeletion') {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState}.`);
    }
    const version = this.resolver.version(key, input.KeyVersionId);
    const material = await this.onToken(key, {}, (token) => token.client.getPublicKey({ serial: token.serial, objectId: version.objectId }));
    return { KeyId: key.id, KeyVersionId: version.id, PublicKey: publicKeyToPem(material) };
  }

  private signingKey(identifier: string, versionId: string | undefined): { key: KeyRow; version: KeyVersionRow } {
    const key = this.resolver.resolve(identifier);
    this.resolver.requireUsable(key, 'SIGN/VERIFY');
    return { key, version: this.resolver.version(key, versionId) };
  }

  private macKey(identifier: string, versionId: string | undefined): { key: KeyRow; version: KeyVersionRow; mechanism: 'SHA256_HMAC' | 'SHA512_HMAC' } {
    const key = this.resolver.resolve(identifier);
    this.resolver.requireUsable(key, 'GENERATE/VERIFY_MAC');
    const mechanism = key.keySpec === 'HMAC_SHA256' ? 'SHA256_HMAC' : key.keySpec === 'HMAC_SHA512' ? 'SHA512_HMAC' : null;
    if (!mechanism) throw new KmsError('Forbidden.KeyUsage', `${key.keySpec} keys cannot compute MACs.`);
    return { key, version: this.resolver.version(key, versionId), mechanism };
  }

  /** Runs on a connected token of the key's store; a cluster store fails over to another member. */
  private onToken<T>(key: KeyRow, needs: { aesGcm?: boolean }, fn: (token: TokenHandle) => Promise<T>): Promise<T> {
    return this.connections.withToken(key.keyStoreId ?? '', needs, fn);
  }

  /** Runs a crypto call and records its use (success or failure) through the group-commit writer. */
  private async used<T>(
    operation: OperationName,
    keyReference: string,
    request: RequestContext,
    run: () => Promise<{ result: T; keyId: string }>,
  ): Promise<T> {
    try {
      const { result, keyId } = await run();
      this.audit.recordUsage(request, { operation, resourceId: keyId }, null);
      return result;
    } catch (error) {
      const code = error instanceof KmsError ? error.code : 'InternalFailure';
      this.audit.recordUsage(request, { operation, resourceId: keyReference.slice(0, 256) }, code);
      throw error;
    }
  }
}

/** A malformed DER signature is simply not a valid signature. */
function derSignatureToRaw(der: Buffer, coordinateBytes: number): Buffer | null {
  try {
    return ecdsaDerToRaw(der, coordinateBytes);
  } catch {
    return null;
  }
}
