import { describe, expect, expectTypeOf, it } from 'vitest';
import { HSM_METHODS, type HsmArgs, type TokenMethod } from '../../../electron/main/hsm/protocol';
import { bindToken, type HsmCaller, type HsmToken, type ModuleMethod } from '../../../electron/main/hsm/token';
import type { SignArgs } from '../../../electron/main/hsm/types';

/** Records every call it is given and answers none (the tests look at what was sent). */
function recordingCaller(): HsmCaller & { sent: [TokenMethod, unknown][] } {
  const sent: [TokenMethod, unknown][] = [];
  return {
    sent,
    call(method, args) {
      sent.push([method, args]);
      return Promise.reject(new Error('not answered in this test'));
    },
  };
}

const MODULE_METHODS: readonly string[] = ['libraryInfo', 'listSlots', 'initToken'];

describe('a token bound to one serial', () => {
  it('offers every table method that takes a serial, and no module or lifecycle method', () => {
    const token = bindToken(recordingCaller(), 'serial-a');
    for (const method of HSM_METHODS) {
      const bound = method !== 'open' && method !== 'shutdown' && !MODULE_METHODS.includes(method);
      expect(typeof Reflect.get(token, method), method).toBe(bound ? 'function' : 'undefined');
    }
    expect(token.serial).toBe('serial-a');
  });

  it('sends each call through the caller as the same method with the serial filled in', async () => {
    const caller = recordingCaller();
    const token = bindToken(caller, 'serial-a');
    const data = Buffer.from('message');
    await token.sign({ objectId: 'ab', mechanism: 'SHA256_HMAC', data }).catch(() => undefined);
    await token.logout().catch(() => undefined);
    await token.generateRandom({ length: 16 }).catch(() => undefined);
    expect(caller.sent).toEqual([
      ['sign', { serial: 'serial-a', objectId: 'ab', mechanism: 'SHA256_HMAC', data }],
      ['logout', { serial: 'serial-a' }],
      ['generateRandom', { serial: 'serial-a', length: 16 }],
    ]);
  });

  it('never lets a stray serial in the arguments redirect a call to another token', async () => {
    const caller = recordingCaller();
    const token = bindToken(caller, 'serial-a');
    const args = { objectId: 'ab', serial: 'serial-b' };
    await token.destroyKey(args).catch(() => undefined);
    expect(caller.sent).toEqual([['destroyKey', { objectId: 'ab', serial: 'serial-a' }]]);
  });

  it('keeps tokens of one caller apart', async () => {
    const caller = recordingCaller();
    await Promise.allSettled([bindToken(caller, 'serial-a').isLoggedIn(), bindToken(caller, 'serial-b').isLoggedIn()]);
    expect(caller.sent).toEqual([
      ['isLoggedIn', { serial: 'serial-a' }],
      ['isLoggedIn', { serial: 'serial-b' }],
    ]);
  });

  it('is typed from the method table: arguments without the serial, module methods left out', () => {
    expectTypeOf<ModuleMethod>().toEqualTypeOf<'libraryInfo' | 'listSlots' | 'initToken'>();
    expectTypeOf<Parameters<HsmToken['sign']>>().toEqualTypeOf<[Omit<SignArgs, 'serial'>]>();
    expectTypeOf<Parameters<HsmToken['logout']>>().toEqualTypeOf<[]>();
    expectTypeOf<ReturnType<HsmToken['putDataObject']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<ReturnType<HsmToken['keyExists']>>().toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<HsmToken>().not.toHaveProperty('listSlots');
    expectTypeOf<HsmArgs<'sign'>>().toHaveProperty('serial');
  });
});
