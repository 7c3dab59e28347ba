import type { WrappingAlgorithm } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { HsmModuleClient } from '../../hsm';
import type { TokenHandle } from '../keystores/connections';

interface Capabilities {
  /** "SoftHSM 2.6.1 token 1a2b3c4d" style name for messages. */
  name: string;
  oaepAlgorithms: readonly WrappingAlgorithm[];
}

/**
 * What a token can really do for RSA-OAEP (AsymmetricEncrypt/Decrypt, import wrapping). The hsm
 * layer drives OAEP with SHA-1/MGF1-SHA1 only: SoftHSM2 2.6 rejects SHA-256 OAEP
 * (CKR_ARGUMENTS_BAD) and p11-kit 0.24 cannot forward other parameters. So a token offers
 * RSAES_OAEP_SHA_1 when it lists CKM_RSA_PKCS_OAEP, and nothing else.
 */
export class TokenCapabilities {
  private readonly cache = new WeakMap<HsmModuleClient, Map<string, Promise<Capabilities>>>();

  async oaepAlgorithms(token: TokenHandle): Promise<readonly WrappingAlgorithm[]> {
    return (await this.of(token)).oaepAlgorithms;
  }

  /** Refuses an algorithm the token cannot run, naming the token. */
  async requireOaep(token: TokenHandle, algorithm: WrappingAlgorithm, purpose: string): Promise<void> {
    const capabilities = await this.of(token);
    if (!capabilities.oaepAlgorithms.includes(algorithm)) {
      const offered = capabilities.oaepAlgorithms.join(', ') || 'none';
      throw new KmsError('UnsupportedOperation', `${purpose}: ${capabilities.name} does not support ${algorithm} (supported: ${offered}).`);
    }
  }

  private of(token: TokenHandle): Promise<Capabilities> {
    let byToken = this.cache.get(token.client);
    if (!byToken) {
      byToken = new Map();
      this.cache.set(token.client, byToken);
    }
    let capabilities = byToken.get(token.serial);
    if (!capabilities) {
      capabilities = probe(token);
      byToken.set(token.serial, capabilities);
      // A failed probe (worker restart, unplugged token) must not stick.
      capabilities.catch(() => byToken.delete(token.serial));
    }
    return capabilities;
  }
}

async function probe(token: TokenHandle): Promise<Capabilities> {
  const [library, slots] = await Promise.all([token.client.libraryInfo(), token.client.listSlots()]);
  const slot = slots.find((candidate) => candidate.token?.serial === token.serial);
  const model = slot?.token ? `${slot.token.manufacturer.trim()} ${slot.token.model.trim()}`.trim() : library.description.trim();
  const name = `token ${token.serial} (${model || 'PKCS#11'}, library ${library.description.trim()} ${library.libraryVersion})`;
  const oaep = slot?.mechanisms.some((mechanism) => mechanism.name === 'CKM_RSA_PKCS_OAEP') ?? false;
  return { name, oaepAlgorithms: oaep ? ['RSAES_OAEP_SHA_1'] : [] };
}
