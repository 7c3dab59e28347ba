/**
 * CreateKey in an external key store: what AWS KMS allows there (a symmetric ENCRYPT/DECRYPT key,
 * no imported material, no automatic rotation), and the external key itself, asked of the proxy:
 * AES_256, ENCRYPT and DECRYPT, ENABLED. The key's own (inner) material goes to the default key store.
 */
import type { ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow, Registry } from '../../registry';
import type { RequestContext } from '../request-context';
import type { ExternalKeyLayer } from './external-key-layer';

export interface ExternalKeyPlacement {
  /** Where the key's inner material is made: the default key store. */
  materialStore: KeyStoreRow;
  xksKeyId: string;
}

export class ExternalKeyCheck {
  constructor(
    private readonly registry: Registry,
    private readonly layer: ExternalKeyLayer,
  ) {}

  /** Null for a key of any other store (which must then not ask for Origin EXTERNAL_KEY_STORE). */
  async placement(input: ParsedInput<'CreateKey'>, store: KeyStoreRow, request: RequestContext): Promise<ExternalKeyPlacement | null> {
    if (store.type !== 'EXTERNAL_KEY_STORE') {
      if (input.Origin === 'EXTERNAL_KEY_STORE' || input.XksKeyId !== undefined) {
        throw new KmsError('InvalidParameter', `Origin EXTERNAL_KEY_STORE and XksKeyId need an external key store; ${store.id} is ${store.type}.`);
      }
      return null;
    }
    if (input.Origin !== 'EXTERNAL_KEY_STORE') {
      throw new KmsError('UnsupportedOperation', `Keys of external key store ${store.id} have Origin EXTERNAL_KEY_STORE (imported and generated material is not supported there).`);
    }
    if (input.XksKeyId === undefined) throw new KmsError('MissingParameter', 'Origin EXTERNAL_KEY_STORE needs XksKeyId, the key at the XKS proxy.');
    if (input.KeySpec !== 'Aliyun_AES_256' || (input.KeyUsage ?? 'ENCRYPT/DECRYPT') !== 'ENCRYPT/DECRYPT') {
      throw new KmsError('UnsupportedOperation', 'An external key store holds symmetric Aliyun_AES_256 ENCRYPT/DECRYPT keys only (no asymmetric or HMAC keys).');
    }
    if (input.EnableAutomaticRotation) throw new KmsError('UnsupportedOperation', 'Keys of an external key store do not rotate automatically: the external key is managed at its proxy.');
    const materialStore = this.registry.keyStores.getDefault();
    if (!materialStore) throw new KmsError('NotFound.KeyStore', 'The default key store, which holds the inner layer of external keys, does not exist yet.');
    const metadata = await this.layer.keyMetadata(store.id, input.XksKeyId, { operation: 'CreateKey', request });
    if (metadata.keySpec !== 'AES_256' || !metadata.keyUsage.includes('ENCRYPT') || !metadata.keyUsage.includes('DECRYPT')) {
      throw new KmsError('XksKey.InvalidConfiguration', `The XKS proxy reports key ${input.XksKeyId} as ${metadata.keySpec} for ${metadata.keyUsage.join(', ') || 'no usage'}; it must be AES_256 for ENCRYPT and DECRYPT.`);
    }
    if (metadata.keyStatus !== 'ENABLED') throw new KmsError('XksKey.InvalidState', `The XKS proxy reports key ${input.XksKeyId} as ${metadata.keyStatus}, not ENABLED.`);
    return { materialStore, xksKeyId: input.XksKeyId };
  }
}
