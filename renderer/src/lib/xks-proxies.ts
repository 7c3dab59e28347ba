import { XKS_URI_PATH_MAX, xksProxyNameSchema, xksUriPathSchema } from '../../../shared/contract';
import { t, tn } from '../i18n';
import '../i18n/areas/access';
import { endpointUrl } from './access-forms';

/** What Keyward appends to a proxy's UriPath: AWS KMS's `XksProxyUriPath` ends with it. */
export const XKS_API_SUFFIX = '/kms/xks/v1';
/** The longest UriPath an officer can type: AWS takes 128 characters with the suffix. */
export const XKS_URI_PATH_INPUT_MAX = XKS_URI_PATH_MAX - XKS_API_SUFFIX.length;

/** The audit operations of XKS calls (the endpoint records each call under one of them). */
export const XKS_CALL_OPERATIONS = ['XksGetKeyMetadata', 'XksEncrypt', 'XksDecrypt', 'XksGetHealthStatus'] as const;

/** Why CreateXksProxy would refuse this name ('' when it would not, or nothing is typed yet). */
export function xksProxyNameProblem(name: string): string {
  if (name === '') return '';
  return xksProxyNameSchema.safeParse(name).success ? '' : t('access.names.problem');
}

/**
 * Why CreateXksProxy would refuse this URI path ('' when it would not, or nothing is typed yet),
 * naming the first rule it breaks; the contract's schema has the last word.
 */
export function xksUriPathProblem(path: string): string {
  if (path === '') return '';
  if (!path.startsWith('/')) return t('access.xks.path.startsWithSlash');
  const refused = /[^A-Za-z0-9_/-]/.exec(path);
  if (refused) return t('access.xks.path.refusedCharacter', { character: refused[0] });
  if (path.length > XKS_URI_PATH_INPUT_MAX) {
    return t('access.xks.path.tooLong', { max: XKS_URI_PATH_INPUT_MAX, awsMax: XKS_URI_PATH_MAX, suffix: XKS_API_SUFFIX });
  }
  if (path.endsWith('/')) return t('access.xks.path.trailingSlash');
  if (path.includes('//')) return t('access.xks.path.emptySegment');
  return xksUriPathSchema.safeParse(path).success ? '' : t('access.xks.path.refused');
}

/** The endpoint as DescribeApplicationEndpoint tells it (only what the proxy URI needs). */
export interface EndpointPlace {
  State: string;
  Address: string | null;
  Port: number | null;
}

/**
 * The proxy's URI as AWS KMS CreateCustomKeyStore takes it (`XksProxyUriEndpoint` + `XksProxyUriPath`),
 * or null while the endpoint is not running (there is then no address to call).
 */
export function xksProxyUri(endpoint: EndpointPlace | null, xksProxyUriPath: string): string | null {
  if (endpoint?.State !== 'RUNNING' || !endpoint.Address || !endpoint.Port) return null;
  return `${endpointUrl(endpoint.Address, endpoint.Port)}${xksProxyUriPath}`;
}

/** What RetireXksProxyCredential will do to a proxy's credentials (ids newest first): the newest stays. */
export function credentialRetirement(accessKeyIds: readonly string[]): { kept: string; retired: string[] } {
  return { kept: accessKeyIds[0] ?? '', retired: accessKeyIds.slice(1) };
}

/** The confirmation text of a retirement: which ids stop working, which one stays. */
export function retirementText(accessKeyIds: readonly string[]): string {
  const { kept, retired } = credentialRetirement(accessKeyIds);
  if (retired.length === 0) return t('access.xks.onlyCredential', { kept });
  return tn('access.xks.retirement', retired.length, { retired: retired.join(', '), kept });
}

/** The proxy and access key id of an XKS call's actor (`xks:<Name>/<AccessKeyId>`); a refused call may have neither. */
export function xksCaller(actor: string): { proxyName: string; accessKeyId: string } {
  const match = /^xks:([^/]+)\/(.+)$/.exec(actor);
  return match ? { proxyName: match[1] ?? '', accessKeyId: match[2] ?? '' } : { proxyName: '', accessKeyId: '' };
}

/**
 * The proxy an XKS call went to: its actor names it once the signature held; a refused call's record
 * still carries the proxy id of its path (Details.XksProxyId), named here from the listed proxies.
 */
export function xksCallProxyName(call: { Actor: string; Details: Record<string, unknown> }, proxies: readonly { XksProxyId: string; Name: string }[]): string {
  const signed = xksCaller(call.Actor).proxyName;
  if (signed) return signed;
  const proxyId = call.Details.XksProxyId;
  return proxies.find((proxy) => proxy.XksProxyId === proxyId)?.Name ?? '';
}

/** A key store as the create dialog offers it: a proxy serves only a connected store's keys. */
export interface KeyStoreChoice {
  KeyStoreId: string;
  KeyStoreName: string;
  KeyStoreType: string;
  ConnectionState: string;
}

export function keyStoreOptions(stores: readonly KeyStoreChoice[]): { label: string; value: string; disabled: boolean }[] {
  return stores.map((store) => {
    const connected = store.ConnectionState === 'CONNECTED';
    const named = store.KeyStoreName && store.KeyStoreName !== store.KeyStoreId ? `${store.KeyStoreName} (${store.KeyStoreId})` : store.KeyStoreId;
    return { label: connected ? named : t('access.xks.notConnected', { store: named }), value: store.KeyStoreId, disabled: !connected };
  });
}
