/*
 * Where the XKS Proxy API lives on the application endpoint (spec, "API Operations"): under
 * `https://<server>[/<path-prefix>]/kms/xks/v1`, keys at `.../keys/<externalKeyId>/<operation>`
 * (metadata | encrypt | decrypt) and `.../health`. Each proxy's UriPath is its path prefix; the
 * `externalKeyId` is at most 128 characters of A-Z a-z 0-9 . - _ .
 */

export const XKS_API_SUFFIX = '/kms/xks/v1';

/** What a request path names once its proxy's prefix is taken off. */
export type XksRoute =
  | { kind: 'health' }
  | { kind: 'key'; xksKeyId: string; action: 'metadata' | 'encrypt' | 'decrypt' };

const EXTERNAL_KEY_ID = /^[A-Za-z0-9._-]{1,128}$/;
const KEY_ACTIONS = new Set(['metadata', 'encrypt', 'decrypt']);

/** The path a proxy's AWS KMS configuration names (its `XksProxyUriPath`). */
export function xksProxyUriPath(uriPath: string): string {
  return `${uriPath}${XKS_API_SUFFIX}`;
}

/** True when either path is the other, or a prefix of it by whole segments: requests could not tell them apart. */
export function uriPathsOverlap(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return longer === shorter || longer.startsWith(`${shorter}/`);
}

/** True when the request path is in the XKS API's shape at all (whether or not a proxy serves it). */
export function isXksPath(path: string): boolean {
  return path.includes(`${XKS_API_SUFFIX}/`);
}

/**
 * The proxy whose UriPath prefixes `path` (by segments, followed by `/kms/xks/v1/`), and what the
 * rest names; `route` is null when the rest is not one of the API's URIs (InvalidUriPathException).
 */
export function matchXksPath<P extends { uriPath: string }>(path: string, proxies: readonly P[]): { proxy: P; route: XksRoute | null } | null {
  for (const proxy of proxies) {
    const prefix = `${xksProxyUriPath(proxy.uriPath)}/`;
    if (path.startsWith(prefix)) return { proxy, route: routeOf(path.slice(prefix.length)) };
  }
  return null;
}

function routeOf(rest: string): XksRoute | null {
  if (rest === 'health') return { kind: 'health' };
  const parts = rest.split('/');
  if (parts.length !== 3 || parts[0] !== 'keys') return null;
  const [, xksKeyId = '', action = ''] = parts;
  if (!EXTERNAL_KEY_ID.test(xksKeyId) || !KEY_ACTIONS.has(action)) return null;
  return { kind: 'key', xksKeyId, action: action as 'metadata' | 'encrypt' | 'decrypt' };
}
