import { KEY_SPECS, type KeySpec, type WrappingAlgorithm } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { HsmModuleClient } from '../../hsm';
import type { TokenHandle } from '../keystores/connections';

interface Capabilities {
  /** "SoftHSM 2.6.1 token 1a2b3c4d" style name for messages. */
  name: string;
  wrappingAlgorithms: readonly WrappingAlgorithm[];
  /** CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA: EC_ED25519 keys can be made and used. */
  ed25519: boolean;
}

/**
 * What a token can really do for RSA-OAEP (AsymmetricEncrypt/Decrypt, import wrapping), key import
 * and Ed25519, read from the mechanisms it lists. The hsm layer drives OAEP with SHA-1/MGF1-SHA1
 * only: SoftHSM2 2.6 rejects SHA-256 OAEP (CKR_ARGUMENTS_BAD) and p11-kit 0.24 cannot forward other
 * parameters. So a token offers RSAES_OAEP_SHA_1 when it lists CKM_RSA_PKCS_OAEP, and
 * RSA_AES_KEY_WRAP_SHA_1 when it also lists CKM_AES_KEY_WRAP_PAD (p11-kit 0.24 forwards neither that
 * nor the Edwards mechanisms, so its network members offer neither key pair imports nor Ed25519).
 */
export class TokenCapabilities {
  private readonly cache = new WeakMap<HsmModuleClient, Map<string, Promise<Capabilities>>>();

  async wrappingAlgorithms(token: TokenHandle): Promise<readonly WrappingAlgorithm[]> {
    return (await this.of(token)).wrappingAlgorithms;
  }

  /**
   * Refuses an algorithm the token cannot run, naming the token and what it offers of `family`
   * (the algorithms that would do the same job).
   */
  async requireAlgorithm(token: TokenHandle, algorithm: WrappingAlgorithm, family: readonly WrappingAlgorithm[], purpose: string): Promise<void> {
    const capabilities = await this.of(token);
    if (!capabilities.wrappingAlgorithms.includes(algorithm)) {
      const offered = capabilities.wrappingAlgorithms.filter((candidate) => family.includes(candidate)).join(', ') || 'none';
      throw new KmsError('UnsupportedOperation', `${purpose}: ${capabilities.name} does not support ${algorithm} (supported: ${offered}).`);
    }
  }

  /** The key specs the token can generate keys of. */
  async keySpecs(token: TokenHandle): Promise<readonly KeySpec[]> {
    const capabilities = await this.of(token);
    return KEY_SPECS.filter((spec) => spec !== 'EC_ED25519' || capabilities.ed25519);
  }

  /**
   * Refuses a key spec the token cannot generate or use, naming the token. Only Ed25519 depends on
   * the token (every PKCS#11 token Keyward supports makes the other specs), so only Ed25519 asks it:
   * a member that does not answer must not fail the creation of other keys.
   */
  async requireKeySpec(token: TokenHandle, spec: KeySpec, purpose: string): Promise<void> {
    if (spec !== 'EC_ED25519' || (await this.keySpecs(token)).includes(spec)) return;
    const { name } = await this.of(token);
    throw new KmsError('UnsupportedOperation', `${purpose}: ${name} does not support ${spec} (it lists no CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA).`);
  }

  private of(token: TokenHandle): Promise<Capabilities> {
    let byToken = this.cache.get(token.client);
    if (!byToken) {
      byToken = new Map();
      this.cache.set(token.client, byToken);
    }
    let capabilities = byToken.get(token.hsm.serial);
    if (!capabilities) {
      capabilities = probe(token);
      byToken.set(token.hsm.serial, capabilities);
      // A failed probe (worker restart, unplugged token) must not stick.
      capabilities.catch(() => byToken.delete(token.hsm.serial));
    }
    return capabilities;
  }
}

async function probe(token: TokenHandle): Promise<Capabilities> {
  const [library, slots] = await Promise.all([token.client.libraryInfo(), token.client.listSlots()]);
  const slot = slots.find((candidate) => candidate.token?.serial === token.hsm.serial);
  const model = slot?.token ? `${slot.token.manufacturer.trim()} ${slot.token.model.trim()}`.trim() : library.description.trim();
  const name = `token ${token.hsm.serial} (${model || 'PKCS#11'}, library ${library.description.trim()} ${library.libraryVersion})`;
  const mechanisms = new Set(slot?.mechanisms.map((mechanism) => mechanism.name) ?? []);
  const oaep = mechanisms.has('CKM_RSA_PKCS_OAEP');
  const aesKeyWrap = mechanisms.has('CKM_AES_KEY_WRAP_PAD');
  const wrappingAlgorithms: WrappingAlgorithm[] = oaep ? ['RSAES_OAEP_SHA_1', ...(aesKeyWrap ? (['RSA_AES_KEY_WRAP_SHA_1'] as const) : [])] : [];
  return { name, wrappingAlgorithms, ed25519: mechanisms.has('CKM_EC_EDWARDS_KEY_PAIR_GEN') && mechanisms.has('CKM_EDDSA') };
}
