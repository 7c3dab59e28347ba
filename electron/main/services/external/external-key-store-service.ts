/**
 * External key stores: Keyward key stores whose keys live behind an XKS proxy. Creating one
 * stores where the proxy is and seals its SigV4 credential (the default key store must be
 * connected); connecting one opens the credential and probes GetHealthStatus. A store stays
 * CONNECTED while its proxy comes and goes: each call then fails with the proxy's error, and
 * succeeds again once the proxy answers (XksProxyHealth tells what the last call found).
 */
import { randomUUID } from 'node:crypto';
import type { KeyStore, OperationResult, ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type ExternalKeyStoreRow, type KeyStoreRow } from '../../registry';
import type { AccessKeySecrets, SealedAccessKeySecret } from '../access/access-key-secrets';
import type { AuditTrail } from '../audit/audit-trail';
import type { ArnScope } from '../keys/key-metadata';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import type { ExternalKeyLayer } from './external-key-layer';
import { connectionErrorOf } from './xks-answer-errors';
import { XksProxyClient } from './xks-proxy-client';
import { newKeyStoreRow } from '../keystores/new-key-store-row';

type Credential = { AccessKeyId: string; RawSecretAccessKey: string };

function secretBinding(keyStoreId: string, accessKeyId: string): { kind: 'external-key-store'; id: string } {
  return { kind: 'external-key-store', id: `${keyStoreId}/${accessKeyId}` };
}

export class ExternalKeyStoreService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly layer: ExternalKeyLayer,
    private readonly secrets: AccessKeySecrets,
    private readonly audit: AuditTrail,
    private readonly scope: ArnScope,
  ) {}

  async create(input: ParsedInput<'CreateKeyStore'>, request: RequestContext): Promise<OperationResult<'CreateKeyStore'>> {
    const { XksProxyUriEndpoint: uriEndpoint, XksProxyUriPath: uriPath, XksProxyAuthenticationCredential: credential } = input;
    if (uriEndpoint === undefined || uriPath === undefined || credential === undefined) {
      throw new KmsError('MissingParameter', 'KeyStoreType EXTERNAL_KEY_STORE needs XksProxyUriEndpoint, XksProxyUriPath and XksProxyAuthenticationCredential.');
    }
    const { registry } = this.context;
    if (registry.keyStores.list().some((store) => store.name === input.KeyStoreName)) throw nameTaken(input.KeyStoreName);
    const id = `kst-${randomUUID()}`;
    const sealed = await this.sealCredential(id, credential, request);
    const now = isoNow(this.context);
    const store = newKeyStoreRow({ id, name: input.KeyStoreName, type: 'EXTERNAL_KEY_STORE', protectionLevel: 'HSM', clusterId: null }, now);
    const proxy: ExternalKeyStoreRow = {
      keyStoreId: id,
      uriEndpoint,
      uriPath,
      connectivity: input.XksProxyConnectivity ?? 'PUBLIC_ENDPOINT',
      caCertificate: input.XksProxyCaCertificate ?? null,
      accessKeyId: credential.AccessKeyId,
      ...sealed,
      updatedAt: now,
    };
    const details = { KeyStoreName: store.name, KeyStoreType: store.type, XksProxyUriEndpoint: uriEndpoint, XksProxyUriPath: uriPath, AccessKeyId: credential.AccessKeyId };
    try {
      this.audit.recordChange(request, { operation: 'CreateKeyStore', resourceId: id, details }, () => {
        this.secrets.requireStillUsable(sealed.secretKeyId);
        registry.keyStores.insert(store);
        registry.externalKeyStores.insert(proxy);
      });
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw nameTaken(input.KeyStoreName);
      throw error;
    }
    return { KeyStoreId: id };
  }

  /** UpdateKeyStore's XKS fields: only while the store is not connected (its calls would change under them). */
  async update(store: KeyStoreRow, input: ParsedInput<'UpdateKeyStore'>, request: RequestContext): Promise<void> {
    const current = this.configuration(store.id);
    const state = this.connections.get(store.id).state;
    if (state === 'CONNECTED' || state === 'CONNECTING') {
      throw new KmsError('Forbidden.KeyStoreState', `External key store ${store.id} is ${state}; disconnect it before changing its proxy settings.`);
    }
    const credential = input.XksProxyAuthenticationCredential;
    const sealed = credential ? await this.sealCredential(store.id, credential, request) : null;
    const next: ExternalKeyStoreRow = {
      ...current,
      uriEndpoint: input.XksProxyUriEndpoint ?? current.uriEndpoint,
      uriPath: input.XksProxyUriPath ?? current.uriPath,
      caCertificate: input.XksProxyCaCertificate ?? current.caCertificate,
      ...(credential && sealed ? { accessKeyId: credential.AccessKeyId, ...sealed } : {}),
      updatedAt: isoNow(this.context),
    };
    const details = {
      ...(input.XksProxyUriEndpoint ? { XksProxyUriEndpoint: next.uriEndpoint } : {}),
      ...(input.XksProxyUriPath ? { XksProxyUriPath: next.uriPath } : {}),
      ...(input.XksProxyCaCertificate ? { XksProxyCaCertificate: 'replaced' } : {}),
      ...(credential ? { AccessKeyId: credential.AccessKeyId } : {}),
    };
    this.audit.recordChange(request, { operation: 'UpdateKeyStore', resourceId: store.id, details }, () => {
      if (sealed) this.secrets.requireStillUsable(sealed.secretKeyId);
      this.context.registry.externalKeyStores.replace(next);
      this.context.registry.keyStores.update(store.id, {}, next.updatedAt);
    });
  }

  /** ConnectKeyStore: the proxy must answer GetHealthStatus; the store ends CONNECTED, or FAILED with an XKS_PROXY_* code. */
  async connect(store: KeyStoreRow, request: RequestContext): Promise<OperationResult<'ConnectKeyStore'>> {
    const proxy = this.configuration(store.id);
    this.connections.set(store.id, 'CONNECTING', null);
    let client: XksProxyClient | null = null;
    try {
      const secret = await this.secrets.open(secretBinding(store.id, proxy.accessKeyId), proxy);
      try {
        client = new XksProxyClient(proxy, secret.toString('utf8'), { region: this.scope.region, now: () => this.context.now() });
      } finally {
        secret.fill(0);
      }
      await this.layer.probe(store.id, client, 'ConnectKeyStore');
    } catch (error) {
      client?.close();
      const code = errorCodeOf(error);
      const connectionError = code?.startsWith('XksProxy.') || code === 'Throttling.XksProxy' ? connectionErrorOf(code) : 'INTERNAL_ERROR';
      // The dispatcher records the refused ConnectKeyStore with this code.
      this.connections.set(store.id, 'FAILED', connectionError);
      throw error;
    }
    this.layer.attach(store.id, client);
    this.connections.set(store.id, 'CONNECTED', null);
    this.audit.recordEvent(request, { operation: 'ConnectKeyStore', resourceId: store.id });
    return { KeyStoreId: store.id, ConnectionState: 'CONNECTED', ConnectionErrorCode: null };
  }

  disconnect(store: KeyStoreRow): void {
    this.layer.detach(store.id);
  }

  describe(store: KeyStoreRow): Pick<KeyStore, 'XksProxyConfiguration' | 'XksProxyHealth'> {
    const proxy = this.context.registry.externalKeyStores.get(store.id);
    if (!proxy) return {};
    return {
      XksProxyConfiguration: {
        Connectivity: proxy.connectivity,
        AccessKeyId: proxy.accessKeyId,
        UriEndpoint: proxy.uriEndpoint,
        UriPath: proxy.uriPath,
        CaCertificate: proxy.caCertificate,
      },
      XksProxyHealth: this.layer.healthOf(store.id),
    };
  }

  configuration(keyStoreId: string): ExternalKeyStoreRow {
    const row = this.context.registry.externalKeyStores.get(keyStoreId);
    if (!row) throw new KmsError('NotFound.KeyStore', `External key store ${keyStoreId} has no XKS proxy settings.`);
    return row;
  }

  private async sealCredential(keyStoreId: string, credential: Credential, request: RequestContext): Promise<SealedAccessKeySecret> {
    const secret = Buffer.from(credential.RawSecretAccessKey, 'utf8');
    try {
      return await this.secrets.seal(secretBinding(keyStoreId, credential.AccessKeyId), secret, request);
    } finally {
      secret.fill(0);
    }
  }
}

function nameTaken(name: string): KmsError {
  return new KmsError('AlreadyExists.KeyStore', `A key store named ${name} already exists.`);
}
