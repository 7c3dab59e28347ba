/**
 * The outer layer of external key stores' double encryption: the connected XKS proxy of each
 * store, the calls Keyward makes to it for a key (with the requestMetadata the API wants), the
 * checks on what it answers, and what the last call found (DescribeKeyStores' XksProxyHealth).
 */
import { randomUUID } from 'node:crypto';
import type { XksProxyHealth } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { KeyRow } from '../../registry';
import type { OuterLayer } from '../crypto/ciphertext-blob';
import { keyArn } from '../keys/key-identifiers';
import type { ArnScope } from '../keys/key-metadata';
import type { RequestContext } from '../request-context';
import { ciphertextDataIntegrityValue } from '../xks/xks-ciphertext';
import { invalidResponse } from './xks-answer-errors';
import type { XksHealthAnswer, XksProxyClient, XksRequestMetadata } from './xks-proxy-client';

/** The spec's bounds on what encrypt answers: a 12- or 16-byte IV, a 16-byte tag, at most 20 bytes of ciphertextMetadata. */
const IV_LENGTHS: ReadonlySet<number> = new Set([12, 16]);
const TAG_BYTES = 16;
const MAX_CIPHERTEXT_METADATA_BYTES = 20;

/** Who asked, carried to the proxy as requestMetadata; absent for Keyward's own sealing (secrets, credentials). */
export interface ExternalCall {
  operation: string;
  request: RequestContext;
}

export class ExternalKeyLayer {
  private readonly clients = new Map<string, XksProxyClient>();
  private readonly health = new Map<string, XksProxyHealth>();

  constructor(private readonly scope: ArnScope) {}

  attach(keyStoreId: string, client: XksProxyClient): void {
    this.clients.get(keyStoreId)?.close();
    this.clients.set(keyStoreId, client);
  }

  detach(keyStoreId: string): void {
    this.clients.get(keyStoreId)?.close();
    this.clients.delete(keyStoreId);
  }

  healthOf(keyStoreId: string): XksProxyHealth | null {
    return this.health.get(keyStoreId) ?? null;
  }

  /** GetHealthStatus on `client` (connected or about to be), remembered as the store's health. */
  async probe(keyStoreId: string, client: XksProxyClient, operation: string): Promise<XksHealthAnswer> {
    return this.tracked(keyStoreId, () => client.health({ kmsOperation: operation, kmsRequestId: randomUUID() }), (answer) => ({
      XksProxyVendor: answer.xksProxyVendor,
      EkmFleetDetails: answer.ekmFleetDetails.map((hsm) => ({ Id: hsm.id, Model: hsm.model, HealthStatus: hsm.healthStatus })),
    }));
  }

  /** The key's metadata at the proxy, for a store being given a key (its client is attached). */
  keyMetadata(keyStoreId: string, xksKeyId: string, call: ExternalCall): ReturnType<XksProxyClient['metadata']> {
    const client = this.client(keyStoreId);
    return this.tracked(keyStoreId, () => client.metadata(xksKeyId, this.requestMetadata(null, call)));
  }

  /** Seals the inner layer at the proxy under the key's external key; `aad` binds it to the blob header and context. */
  async encrypt(key: KeyRow, inner: Buffer, aad: Buffer, call: ExternalCall | undefined): Promise<OuterLayer> {
    const { storeId, xksKeyId, client } = this.partsOf(key);
    const answer = await this.tracked(storeId, () => client.encrypt(xksKeyId, inner, aad, this.requestMetadata(key, call ?? null, 'Encrypt')));
    const outer = {
      iv: Buffer.from(answer.initializationVector, 'base64'),
      tag: Buffer.from(answer.authenticationTag, 'base64'),
      ciphertextMetadata: answer.ciphertextMetadata ? Buffer.from(answer.ciphertextMetadata, 'base64') : null,
      ciphertext: Buffer.from(answer.ciphertext, 'base64'),
    };
    this.checkSealed(storeId, inner, aad, outer, answer.ciphertextDataIntegrityValue);
    return outer;
  }

  async decrypt(key: KeyRow, outer: OuterLayer, aad: Buffer, call: ExternalCall | undefined): Promise<Buffer> {
    const { storeId, xksKeyId, client } = this.partsOf(key);
    const inner = await this.tracked(storeId, () => client.decrypt(xksKeyId, outer, aad, this.requestMetadata(key, call ?? null, 'Decrypt')));
    if (inner.length !== outer.ciphertext.length) {
      this.noteFailure(storeId, invalidResponse('decrypt answered a plaintext of another length than the ciphertext'));
    }
    return inner;
  }

  private checkSealed(storeId: string, inner: Buffer, aad: Buffer, outer: OuterLayer, integrity: string | undefined): void {
    const problem =
      !IV_LENGTHS.has(outer.iv.length) ? 'an initializationVector of neither 12 nor 16 bytes'
      : outer.tag.length !== TAG_BYTES ? 'an authenticationTag of other than 16 bytes'
      : (outer.ciphertextMetadata?.length ?? 0) > MAX_CIPHERTEXT_METADATA_BYTES ? 'a ciphertextMetadata over 20 bytes'
      : outer.ciphertext.length !== inner.length ? 'a ciphertext of another length than the plaintext'
      : integrity === undefined ? 'no ciphertextDataIntegrityValue (SHA_256 was asked for)'
      : !ciphertextDataIntegrityValue({ aad, ...outer }).equals(Buffer.from(integrity, 'base64')) ? 'a ciphertextDataIntegrityValue that does not match its ciphertext'
      : null;
    if (problem) this.noteFailure(storeId, invalidResponse(`encrypt answered ${problem}`));
  }

  private partsOf(key: KeyRow): { storeId: string; xksKeyId: string; client: XksProxyClient } {
    const storeId = key.keyStoreId ?? '';
    if (key.xksKeyId === null) throw new KmsError('InternalFailure', `Key ${key.id} has no external key id.`);
    return { storeId, xksKeyId: key.xksKeyId, client: this.client(storeId) };
  }

  private client(keyStoreId: string): XksProxyClient {
    const client = this.clients.get(keyStoreId);
    if (!client) throw new KmsError('Forbidden.KeyStoreState', `External key store ${keyStoreId} is not connected; connect it (ConnectKeyStore) to use its keys.`);
    return client;
  }

  private requestMetadata(key: KeyRow | null, call: ExternalCall | null, operation = 'CreateKey'): XksRequestMetadata {
    const actor = (call?.request.actor ?? 'keyward').replace(/[^A-Za-z0-9+=,.@_/-]/g, '_').slice(0, 64);
    return {
      awsPrincipalArn: `arn:keyward:iam::${this.scope.owner}:user/${actor}`,
      kmsOperation: call?.operation ?? operation,
      kmsRequestId: call?.request.requestId ?? randomUUID(),
      ...(key ? { kmsKeyArn: keyArn(this.scope.region, this.scope.owner, key.id) } : {}),
    };
  }

  /** Runs one proxy call and keeps what it found; failures are rethrown as they are. */
  private async tracked<T>(keyStoreId: string, call: () => Promise<T>, details?: (answer: T) => Pick<XksProxyHealth, 'XksProxyVendor' | 'EkmFleetDetails'>): Promise<T> {
    try {
      const answer = await call();
      const previous = this.health.get(keyStoreId);
      this.health.set(keyStoreId, {
        CheckedAt: new Date().toISOString(),
        ErrorCode: null,
        Message: null,
        ...(details ? details(answer) : { XksProxyVendor: previous?.XksProxyVendor ?? null, EkmFleetDetails: previous?.EkmFleetDetails ?? [] }),
      });
      return answer;
    } catch (error) {
      this.noteFailure(keyStoreId, error);
    }
  }

  /** Records a failure of the proxy (not of the caller's input) as the store's health, and throws it. */
  private noteFailure(keyStoreId: string, error: unknown): never {
    const code = errorCodeOf(error);
    if (code === null || code.startsWith('XksProxy.') || code === 'Throttling.XksProxy') {
      const previous = this.health.get(keyStoreId);
      this.health.set(keyStoreId, {
        CheckedAt: new Date().toISOString(),
        ErrorCode: code ?? 'InternalFailure',
        Message: error instanceof KmsError ? error.message : 'The call to the XKS proxy failed.',
        XksProxyVendor: previous?.XksProxyVendor ?? null,
        EkmFleetDetails: previous?.EkmFleetDetails ?? [],
      });
    }
    throw error;
  }
}
