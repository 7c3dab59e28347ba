import { describe, expect, it } from 'vitest';
import { HsmModules, moduleSpecKey } from '../../../electron/main/hsm/modules';
import {
  changesObjectStore,
  HSM_METHODS,
  isSlowMethod,
  parseRequest,
  parseResponse,
  reviveBuffers,
} from '../../../electron/main/hsm/protocol';

describe('worker protocol', () => {
  it('revives Uint8Arrays (structured clone) into Buffers, deeply', () => {
    const revived = reviveBuffers({ a: new Uint8Array([1]), b: [{ c: new Uint8Array([2, 3]) }], d: 'x', e: null }) as {
      a: Buffer;
      b: { c: Buffer }[];
    };
    expect(Buffer.isBuffer(revived.a)).toBe(true);
    expect(Buffer.isBuffer(revived.b[0]?.c)).toBe(true);
    expect(revived.b[0]?.c.toString('hex')).toBe('0203');
    const polluted = reviveBuffers(JSON.parse('{"__proto__": {"evil": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
    expect(polluted.evil).toBeUndefined();
  });

  it('derives the method list and the slow and serialized methods from one table', () => {
    expect(HSM_METHODS).toHaveLength(36);
    expect(HSM_METHODS.slice(0, 4)).toEqual(['open', 'shutdown', 'libraryInfo', 'listSlots']);
    expect(HSM_METHODS.filter(isSlowMethod).sort()).toEqual(
      ['generateImportKeyPair', 'generateKey', 'generateOwnerKey', 'generateTransportKey', 'initToken'],
    );
    expect(HSM_METHODS.filter(changesObjectStore).sort()).toEqual([
      'createPublicKey',
      'destroyKey',
      'generateDomainKey',
      'generateImportKeyPair',
      'generateKey',
      'generateOwnerKey',
      'generateTransportKey',
      'importTrustedWrapKey',
      'initToken',
      'putDataObject',
      'unwrapDomainKey',
      'unwrapImportedKey',
      'unwrapKey',
      'wrapKey',
    ]);
    // Object prototype names are not methods, though `in` would say so.
    expect(parseRequest({ id: 1, method: 'toString', args: {} })).toBeNull();
  });

  it('accepts only well-formed requests for known methods', () => {
    expect(parseRequest({ id: 1, method: 'listSlots', args: {} })).toEqual({ id: 1, method: 'listSlots', args: {} });
    expect(parseRequest({ id: 1, method: 'C_Finalize', args: {} })).toBeNull();
    expect(parseRequest({ id: '1', method: 'listSlots', args: {} })).toBeNull();
    expect(parseRequest(null)).toBeNull();
  });

  it('parses success and failure responses', () => {
    expect(parseResponse({ id: 3, ok: true, result: new Uint8Array([9]) })).toEqual({ id: 3, ok: true, result: Buffer.from([9]) });
    expect(parseResponse({ id: 4, ok: false, failure: { code: 'HsmError.Generic', message: 'm' } })).toEqual({
      id: 4,
      ok: false,
      failure: { code: 'HsmError.Generic', ckr: null, message: 'm' },
    });
    expect(parseResponse({ id: 5, ok: false })).toBeNull();
  });
});

describe('HsmModules', () => {
  it('keys module specs by path and sorted env', () => {
    const a = moduleSpecKey({ path: '/lib.so', env: { B: '2', A: '1' } });
    expect(moduleSpecKey({ path: '/lib.so', env: { A: '1', B: '2' } })).toBe(a);
    expect(moduleSpecKey({ path: '/lib.so', env: { A: '1' } })).not.toBe(a);
    expect(moduleSpecKey({ path: '/other.so', env: { B: '2', A: '1' } })).not.toBe(a);
  });

  it('hands out one client per spec without starting workers', () => {
    let launches = 0;
    const modules = new HsmModules({
      launch() {
        launches++;
        throw new Error('not in this test');
      },
    });
    const client = modules.client({ path: '/lib.so', env: { X: '1' } });
    expect(modules.client({ path: '/lib.so', env: { X: '1' } })).toBe(client);
    expect(modules.has({ path: '/lib.so', env: {} })).toBe(false);
    expect(launches).toBe(0);
  });
});
