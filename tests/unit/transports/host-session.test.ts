import { describe, expect, it } from 'vitest';
import { cookieValues, createHostSession, sessionSetCookie } from '../../../electron/main/transports/host-session';

/** Deterministic bytes: the first call is the nonce, the second the session secret. */
function counter(): (size: number) => Buffer {
  let call = 0;
  return (size) => Buffer.alloc(size, ++call);
}

describe('host session', () => {
  it('exchanges the nonce for a different secret exactly once', () => {
    const session = createHostSession(counter());
    const nonce = new URL(`http://h${session.launchPath}`).searchParams.get('nonce') ?? '';
    expect(session.launchPath).toBe(`/session?nonce=${Buffer.alloc(32, 1).toString('base64url')}`);
    expect(session.admits(undefined)).toBe(false);
    const secret = session.redeem(nonce);
    expect(secret).toBe(Buffer.alloc(32, 2).toString('base64url'));
    expect(secret).not.toBe(nonce);
    expect(session.redeem(nonce)).toBeNull();
    expect(session.admits(`keyward_session=${secret}`)).toBe(true);
  });

  it('refuses wrong, empty and prefix nonces without using the real one up', () => {
    const session = createHostSession(counter());
    const nonce = new URL(`http://h${session.launchPath}`).searchParams.get('nonce') ?? '';
    for (const wrong of ['', 'x', nonce.slice(0, -1), `${nonce}A`, nonce.toLowerCase()]) expect(session.redeem(wrong)).toBeNull();
    expect(session.redeem(nonce)).not.toBeNull();
  });

  it('admits only the session cookie, among other cookies too', () => {
    const session = createHostSession(counter());
    const secret = session.redeem(new URL(`http://h${session.launchPath}`).searchParams.get('nonce') ?? '') ?? '';
    expect(session.admits(`a=1; keyward_session=${secret}; b=2`)).toBe(true);
    expect(session.admits(`keyward_session=forged; keyward_session=${secret}`)).toBe(true);
    for (const header of ['', 'keyward_session=', `keyward_session=${secret}x`, `other_session=${secret}`, `xkeyward_session=${secret}`]) {
      expect(session.admits(header), header).toBe(false);
    }
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole host', () => {
    expect(sessionSetCookie('s3cret')).toBe('keyward_session=s3cret; HttpOnly; SameSite=Strict; Path=/');
    expect(cookieValues(' a=1 ;keyward_session=v; keyward_session=w', 'keyward_session')).toEqual(['v', 'w']);
  });
});
