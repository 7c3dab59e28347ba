import { randomUUID } from 'node:crypto';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { RESERVED_ALIAS_PREFIX } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type Registry, type XksProxyRow } from '../../registry';
import type { AccessKeySecrets } from '../access/access-key-secrets';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { newAccessKeyId, newSecretAccessKey } from './xks-credentials';
import { uriPathsOverlap, xksProxyUriPath } from './xks-paths';

type Credential = OperationResult<'RotateXksProxyCredential'>;
type ProxyDescription = OperationResult<'DescribeXksProxies'>['XksProxies'][number];

/** The binding a credential's sealed secret carries: it opens only on its own proxy's row. */
export function credentialBinding(proxyId: string, accessKeyId: string): { kind: 'xks-credential'; id: string } {
  return { kind: 'xks-credential', id: `${proxyId}/${accessKeyId}` };
}

export function requireXksProxy(registry: Registry, proxyId: string): XksProxyRow {
  const row = registry.xksProxies.get(proxyId);
  if (!row) throw new KmsError('NotFound.XksProxy', `XKS proxy ${proxyId} does not exist.`);
  return row;
}

/**
 * XKS proxies Keyward serves: each exposes the AES-256 keys of one key store under its URI path,
 * to callers holding one of its SigV4 credentials. A credential's secret is shown once and kept
 * only sealed; several live at once so AWS KMS can switch over before the old one is retired.
 */
export class XksProxyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly secrets: AccessKeySecrets,
    private readonly audit: AuditTrail,
  ) {}

  async create(input: ParsedInput<'CreateXksProxy'>, request: RequestContext): Promise<OperationResult<'CreateXksProxy'>> {
    const registry = this.context.registry;
    const store = registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    // Keys of an external key store live behind another proxy: Keyward serves only its own HSM keys.
    if (store.type !== 'DEFAULT' && store.type !== 'HSM_CLUSTER') throw new KmsError('UnsupportedOperation', `Key store ${store.id} is not backed by Keyward's HSMs.`);
    this.refuseTaken(input.Name, input.UriPath);
    const row: XksProxyRow = { id: `xksp-${randomUUID()}`, name: input.Name, uriPath: input.UriPath, keyStoreId: store.id, createdAt: isoNow(this.context) };
    const details = { Name: row.name, UriPath: row.uriPath, KeyStoreId: row.keyStoreId };
    try {
      return await this.issueCredential(row, 'CreateXksProxy', details, request, () => {
        this.refuseTaken(input.Name, input.UriPath);
        registry.xksProxies.insert(row);
      });
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw this.taken(`Name ${input.Name} or UriPath ${input.UriPath}`);
      throw error;
    }
  }

  rotate(input: ParsedInput<'RotateXksProxyCredential'>, request: RequestContext): Promise<Credential> {
    const proxy = requireXksProxy(this.context.registry, input.XksProxyId);
    return this.issueCredential(proxy, 'RotateXksProxyCredential', {}, request, () => requireXksProxy(this.context.registry, proxy.id));
  }

  retire(input: ParsedInput<'RetireXksProxyCredential'>, request: RequestContext): OperationResult<'RetireXksProxyCredential'> {
    const registry = this.context.registry;
    return registry.transaction(() => {
      requireXksProxy(registry, input.XksProxyId);
      const [newest, ...older] = registry.xksProxies.accessKeyIds(input.XksProxyId);
      if (newest === undefined || older.length === 0) {
        throw new KmsError('Forbidden.XksProxyCredential', `XKS proxy ${input.XksProxyId} has a single credential; rotate first, then retire the older one.`);
      }
      const details = { AccessKeyId: newest, RetiredAccessKeyIds: older.join(', ') };
      this.audit.recordChange(request, { operation: 'RetireXksProxyCredential', resourceId: input.XksProxyId, details }, () => {
        for (const accessKeyId of older) registry.xksProxies.deleteCredential(accessKeyId);
      });
      return { AccessKeyId: newest, RetiredAccessKeyIds: older };
    });
  }

  describe(input: ParsedInput<'DescribeXksProxies'>): OperationResult<'DescribeXksProxies'> {
    const registry = this.context.registry;
    const rows = input.XksProxyId === undefined ? registry.xksProxies.list() : [requireXksProxy(registry, input.XksProxyId)];
    return { XksProxies: rows.map((row) => this.description(row)) };
  }

  delete(input: ParsedInput<'DeleteXksProxy'>, request: RequestContext): OperationResult<'DeleteXksProxy'> {
    const registry = this.context.registry;
    const proxy = requireXksProxy(registry, input.XksProxyId);
    const details = { Name: proxy.name, UriPath: proxy.uriPath, KeyStoreId: proxy.keyStoreId };
    this.audit.recordChange(request, { operation: 'DeleteXksProxy', resourceId: proxy.id, details }, () => {
      if (!registry.xksProxies.delete(proxy.id)) throw new KmsError('NotFound.XksProxy', `XKS proxy ${proxy.id} does not exist.`);
    });
    return {};
  }

  /** A new credential for `proxy`, stored with `change` (the proxy's own insert, or a check it still exists) in one audited transaction. */
  private async issueCredential(
    proxy: XksProxyRow,
    operation: 'CreateXksProxy' | 'RotateXksProxyCredential',
    details: Record<string, string>,
    request: RequestContext,
    change: () => void,
  ): Promise<Credential & { XksProxyId: string }> {
    const accessKeyId = newAccessKeyId();
    const secret = newSecretAccessKey();
    try {
      const sealed = await this.secrets.seal(credentialBinding(proxy.id, accessKeyId), secret, request);
      const credential = { accessKeyId, proxyId: proxy.id, ...sealed, createdAt: isoNow(this.context) };
      this.audit.recordChange(request, { operation, resourceId: proxy.id, details: { ...details, AccessKeyId: accessKeyId } }, () => {
        change();
        this.secrets.requireStillUsable(sealed.secretKeyId);
        this.context.registry.xksProxies.insertCredential(credential);
      });
      return { XksProxyId: proxy.id, AccessKeyId: accessKeyId, SecretAccessKey: secret.toString('ascii'), XksProxyUriPath: xksProxyUriPath(proxy.uriPath) };
    } finally {
      secret.fill(0);
    }
  }

  private refuseTaken(name: string, uriPath: string): void {
    for (const other of this.context.registry.xksProxies.list()) {
      if (other.name === name) throw this.taken(`Name ${name}`);
      if (uriPathsOverlap(other.uriPath, uriPath)) throw this.taken(`UriPath ${uriPath} (it overlaps ${other.uriPath} of ${other.name})`);
    }
  }

  private taken(what: string): KmsError {
    return new KmsError('AlreadyExists.XksProxy', `${what} is taken by another XKS proxy.`);
  }

  private description(row: XksProxyRow): ProxyDescription {
    const proxies = this.context.registry.xksProxies;
    const keys = proxies
      .exposedKeys(row.keyStoreId)
      .filter((key) => !key.aliases.some((alias) => alias.startsWith(RESERVED_ALIAS_PREFIX)))
      .map((key) => ({ KeyId: key.keyId, Aliases: key.aliases, KeyState: key.keyState }));
    return {
      XksProxyId: row.id,
      Name: row.name,
      UriPath: row.uriPath,
      XksProxyUriPath: xksProxyUriPath(row.uriPath),
      KeyStoreId: row.keyStoreId,
      AccessKeyIds: proxies.accessKeyIds(row.id),
      CreatedAt: apiDate(row.createdAt),
      Keys: keys,
    };
  }
}
