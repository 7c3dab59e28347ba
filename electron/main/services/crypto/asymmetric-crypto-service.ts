import { RSAES_ALGORITHMS, type KeySpec, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { ecdsaDerToRaw, ecdsaRawToDer, publicKeyToPem } from '../../hsm';
import { ecCoordinateBytes, isAsymmetricSpec, materialSpecOf, signMechanismFor } from '../keys/key-specs';
import { TokenCapabilities } from '../keys/token-capabilities';
import type { RequestContext } from '../request-context';
import type { KeyUse, UsableKey } from './key-use';

/** OAEP with SHA-1 (the only OAEP the hsm layer drives) costs 2 × 20 + 2 bytes of the modulus. */
const OAEP_SHA1_OVERHEAD = 42;

/**
 * RSA, EC and Ed25519 key pairs: signatures in standard DER / PKCS#1 / PSS / RFC 8032 form, RSA-OAEP,
 * public keys as PEM. ED25519_SHA_512 signs the message that arrives in `Digest` (pure EdDSA).
 */
export class AsymmetricCryptoService {
  private readonly capabilities = new TokenCapabilities();

  constructor(private readonly use: KeyUse) {}

  sign(input: ParsedInput<'AsymmetricSign'>, request: RequestContext): Promise<OperationResult<'AsymmetricSign'>> {
    return this.use.record('AsymmetricSign', input.KeyId, request, async () => {
      const { key, version } = this.use.usable(input.KeyId, 'SIGN/VERIFY', input.KeyVersionId);
      const mechanism = signMechanismFor(key.keySpec, input.Algorithm);
      const signature = await this.use.onToken(key, {}, (token) =>
        token.hsm.sign({ objectId: version.objectId, mechanism, data: Buffer.from(input.Digest, 'base64') }),
      );
      // PKCS#11 gives ECDSA as raw r||s; everyone else (openssl, JCA) expects the DER SEQUENCE.
      const value = mechanism === 'ECDSA' ? ecdsaRawToDer(signature) : signature;
      return { result: { KeyId: key.id, KeyVersionId: version.id, Value: value.toString('base64') }, keyId: key.id };
    });
  }

  verify(input: ParsedInput<'AsymmetricVerify'>, request: RequestContext): Promise<OperationResult<'AsymmetricVerify'>> {
    return this.use.record('AsymmetricVerify', input.KeyId, request, async () => {
      const { key, version } = this.use.usable(input.KeyId, 'SIGN/VERIFY', input.KeyVersionId);
      const mechanism = signMechanismFor(key.keySpec, input.Algorithm);
      const given = Buffer.from(input.Value, 'base64');
      const signature = mechanism === 'ECDSA' ? derSignatureToRaw(given, ecCoordinateBytes(key.keySpec)) : given;
      const valid =
        signature !== null &&
        (await this.use.onToken(key, {}, (token) =>
          token.hsm.verify({ objectId: version.objectId, mechanism, data: Buffer.from(input.Digest, 'base64'), signature }),
        ));
      return { result: { KeyId: key.id, KeyVersionId: version.id, Value: valid }, keyId: key.id };
    });
  }

  encrypt(input: ParsedInput<'AsymmetricEncrypt'>, request: RequestContext): Promise<OperationResult<'AsymmetricEncrypt'>> {
    return this.use.record('AsymmetricEncrypt', input.KeyId, request, async () => {
      const usable = await this.rsaEncryptionKey(input.KeyId, input.KeyVersionId, input.Algorithm, 'AsymmetricEncrypt');
      const plaintext = Buffer.from(input.Plaintext, 'base64');
      const limit = modulusBytes(usable.key.keySpec) - OAEP_SHA1_OVERHEAD;
      if (plaintext.length > limit) {
        throw new KmsError('InvalidParameter', `A ${usable.key.keySpec} key encrypts at most ${limit} bytes with ${input.Algorithm}.`);
      }
      const ciphertext = await this.use.onToken(usable.key, {}, (token) =>
        token.hsm.encrypt({ objectId: usable.version.objectId, mechanism: { kind: 'RSA_OAEP_SHA1' }, data: plaintext }),
      );
      return {
        result: { KeyId: usable.key.id, KeyVersionId: usable.version.id, CiphertextBlob: ciphertext.toString('base64') },
        keyId: usable.key.id,
      };
    });
  }

  decrypt(input: ParsedInput<'AsymmetricDecrypt'>, request: RequestContext): Promise<OperationResult<'AsymmetricDecrypt'>> {
    return this.use.record('AsymmetricDecrypt', input.KeyId, request, async () => {
      const usable = await this.rsaEncryptionKey(input.KeyId, input.KeyVersionId, input.Algorithm, 'AsymmetricDecrypt');
      const ciphertext = Buffer.from(input.CiphertextBlob, 'base64');
      if (ciphertext.length !== modulusBytes(usable.key.keySpec)) {
        throw new KmsError('InvalidCiphertext', `A ${usable.key.keySpec} ciphertext is exactly ${modulusBytes(usable.key.keySpec)} bytes.`);
      }
      const plaintext = await this.use.onToken(usable.key, {}, (token) =>
        token.hsm.decrypt({ objectId: usable.version.objectId, mechanism: { kind: 'RSA_OAEP_SHA1' }, data: ciphertext }),
      );
      return {
        result: { KeyId: usable.key.id, KeyVersionId: usable.version.id, Plaintext: plaintext.toString('base64') },
        keyId: usable.key.id,
      };
    });
  }

  /** Public keys may be read from Enabled and Disabled keys, as in the cloud service. */
  async publicKey(input: ParsedInput<'GetPublicKey'>): Promise<OperationResult<'GetPublicKey'>> {
    const key = this.use.resolver.resolve(input.KeyId);
    if (!isAsymmetricSpec(key.keySpec)) {
      throw new KmsError('Forbidden.KeyUsage', `${key.keySpec} keys have no public key.`);
    }
    if (key.keyState === 'PendingImport' || key.keyState === 'PendingDeletion') {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState}.`);
    }
    const version = this.use.resolver.version(key, input.KeyVersionId);
    const material = await this.use.onToken(key, {}, (token) => token.hsm.getPublicKey({ objectId: version.objectId }));
    return { KeyId: key.id, KeyVersionId: version.id, PublicKey: publicKeyToPem(material) };
  }

  private async rsaEncryptionKey(
    identifier: string,
    versionId: string | undefined,
    algorithm: ParsedInput<'AsymmetricEncrypt'>['Algorithm'],
    operation: string,
  ): Promise<UsableKey> {
    const usable = this.use.usable(identifier, 'ENCRYPT/DECRYPT', versionId);
    if (materialSpecOf(usable.key.keySpec).kind !== 'RSA') {
      throw new KmsError('Forbidden.KeyUsage', `${operation} needs an RSA key with ENCRYPT/DECRYPT usage, not ${usable.key.keySpec}; use Encrypt.`);
    }
    await this.use.onToken(usable.key, {}, (token) => this.capabilities.requireAlgorithm(token, algorithm, RSAES_ALGORITHMS, operation));
    return usable;
  }
}

function modulusBytes(spec: KeySpec): number {
  const material = materialSpecOf(spec);
  return material.kind === 'RSA' ? material.bits / 8 : 0;
}

/** A malformed DER signature is simply not a valid signature. */
function derSignatureToRaw(der: Buffer, coordinateBytes: number): Buffer | null {
  try {
    return ecdsaDerToRaw(der, coordinateBytes);
  } catch {
    return null;
  }
}
