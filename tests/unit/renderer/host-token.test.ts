import { describe, expect, it } from 'vitest';
import { rpcUrl, splitToken, takeHostToken, TOKEN_STORAGE_KEY } from '../../../renderer/src/lib/host-token';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe('host token', () => {
  it('strips the token from the URL, keeping the rest', () => {
    expect(splitToken('http://127.0.0.1:4000/?token=abc-_123&x=1#/keys')).toEqual({
      token: 'abc-_123',
      cleanUrl: 'http://127.0.0.1:4000/?x=1#/keys',
    });
    expect(splitToken('http://127.0.0.1:4000/?token=abc')).toEqual({ token: 'abc', cleanUrl: 'http://127.0.0.1:4000/' });
    expect(splitToken('http://127.0.0.1:4000/#/audit').token).toBeNull();
  });

  it('saves a token from the URL and replaces the visible address', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = takeHostToken({ href: 'http://127.0.0.1:4000/?token=t1', storage, replaceUrl: (url) => replaced.push(url) });
    expect(token).toBe('t1');
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('t1');
    expect(replaced).toEqual(['http://127.0.0.1:4000/']);
  });

  it('falls back to the saved token after a reload, without touching the URL', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'saved' });
    const replaced: string[] = [];
    expect(takeHostToken({ href: 'http://127.0.0.1:4000/#/keys', storage, replaceUrl: (url) => replaced.push(url) })).toBe('saved');
    expect(replaced).toEqual([]);
  });

  it('builds the RPC URL on the page host with the token encoded', () => {
    expect(rpcUrl('http://127.0.0.1:4000/#/keys', 'a+b/c=')).toBe('ws://127.0.0.1:4000/rpc?token=a%2Bb%2Fc%3D');
  });
});
