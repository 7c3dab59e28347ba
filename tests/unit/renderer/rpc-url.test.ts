import { describe, expect, it } from 'vitest';
import { rpcUrl } from '../../../renderer/src/lib/rpc-url';

describe('rpcUrl', () => {
  it('is the page host’s /rpc, carrying nothing from the page address', () => {
    expect(rpcUrl('http://127.0.0.1:4000/#/keys')).toBe('ws://127.0.0.1:4000/rpc');
    expect(rpcUrl('http://127.0.0.1:4000/session?nonce=abc#/keys')).toBe('ws://127.0.0.1:4000/rpc');
    expect(rpcUrl('https://localhost:4443/?x=1')).toBe('wss://localhost:4443/rpc');
  });
});
