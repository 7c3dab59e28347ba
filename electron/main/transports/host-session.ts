import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'keyward_session';
export const SESSION_PATH = '/session';

/**
 * The browser host's one session per launch. The launch address carries a single-use nonce; the
 * first request that presents it gets the session cookie, and after that the nonce is dead, so a
 * launch address seen later (a file, a history entry, a screen) opens nothing. The session secret
 * itself only ever travels in an HttpOnly cookie, never in a URL or on a command line.
 */
export interface HostSession {
  /** `/session?nonce=…`: the path of the launch address. */
  readonly launchPath: string;
  /** Exchanges the nonce for the session secret: once, for the right nonce; null otherwise. */
  redeem(nonce: string): string | null;
  /** Whether a request's Cookie header carries this launch's session. */
  admits(cookieHeader: string | undefined): boolean;
}

export function createHostSession(random: (size: number) => Buffer = randomBytes): HostSession {
  let nonce: string | null = random(32).toString('base64url');
  const launchPath = `${SESSION_PATH}?nonce=${nonce}`;
  let secret: string | null = null;
  return {
    launchPath,
    redeem(given) {
      if (nonce === null || !secretsEqual(given, nonce)) return null;
      nonce = null;
      secret = random(32).toString('base64url');
      return secret;
    },
    admits(cookieHeader) {
      if (secret === null) return false;
      const expected = secret;
      // Any of them: another loopback service the browser visited may have set a same-named cookie.
      return cookieValues(cookieHeader, SESSION_COOKIE).some((given) => secretsEqual(given, expected));
    },
  };
}

/**
 * No `Secure`: the host speaks plain http on loopback, where browsers would drop a Secure cookie.
 * SameSite=Strict keeps other sites' pages from riding on it; HttpOnly keeps it from page scripts.
 */
export function sessionSetCookie(secret: string): string {
  return `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Every value of the named cookie in a Cookie header (a browser may send a name more than once). */
export function cookieValues(cookieHeader: string | undefined, name: string): string[] {
  if (!cookieHeader) return [];
  return cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
}

function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
