/** The browser host's session token: read from `?token=` once, kept for reloads, never left in the address bar. */
export const TOKEN_STORAGE_KEY = 'keyward.hostToken';

export interface TokenSplit {
  token: string | null;
  /** The same URL without the token parameter (path, other parameters and hash kept). */
  cleanUrl: string;
}

export function splitToken(href: string): TokenSplit {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  url.searchParams.delete('token');
  return { token: token && token.length > 0 ? token : null, cleanUrl: url.toString() };
}

interface TokenEnvironment {
  href: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  replaceUrl(url: string): void;
}

/** Takes the token from the URL (saving it and stripping it) or from session storage after a reload. */
export function takeHostToken(env: TokenEnvironment): string | null {
  const { token, cleanUrl } = splitToken(env.href);
  if (token !== null) {
    env.storage.setItem(TOKEN_STORAGE_KEY, token);
    env.replaceUrl(cleanUrl);
    return token;
  }
  return env.storage.getItem(TOKEN_STORAGE_KEY);
}

/** ws://host/rpc?token=… on the host that served the page. */
export function rpcUrl(pageHref: string, token: string): string {
  const page = new URL(pageHref);
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/rpc?token=${encodeURIComponent(token)}`;
}
