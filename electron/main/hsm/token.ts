/**
 * HsmToken: one token of one module, with every token method of the protocol table bound to its
 * serial (`token.sign({ objectId, ... })` rather than `client.sign({ serial, objectId, ... })`), so
 * a service cannot send a call to the wrong token. Derived from HSM_METHOD_TABLE: a new method that
 * takes a serial appears here without being written down.
 */
import { HSM_METHODS, type HsmArgs, type HsmCallResult, type HsmResult, type TokenMethod } from './protocol';

/** What a bound token needs of its module: one typed call. HsmModuleClient is one. */
export interface HsmCaller {
  call<M extends TokenMethod>(method: M, args: HsmArgs<M>): Promise<HsmResult<M>>;
}

/** The token methods whose arguments name the token by its serial. */
export type TokenBoundMethod = { [M in TokenMethod]: HsmArgs<M> extends { serial: string } ? M : never }[TokenMethod];

/** The methods about the module rather than one token (its library, its slots, initializing a slot). */
export type ModuleMethod = Exclude<TokenMethod, TokenBoundMethod>;

type BoundArgs<M extends TokenBoundMethod> = Omit<HsmArgs<M>, 'serial'>;

/** Methods left with no argument once the serial is bound take none: `token.logout()`. */
export type HsmTokenCalls = {
  [M in TokenBoundMethod]: (...args: [keyof BoundArgs<M>] extends [never] ? [] : [BoundArgs<M>]) => Promise<HsmCallResult<M>>;
};

export interface HsmToken extends HsmTokenCalls {
  readonly serial: string;
}

/**
 * The methods a bound token leaves out. Types vanish at run time, so this list tells the binding
 * loop below which table entries take no serial; the check under it makes the compiler refuse a
 * list that misses a module method or names a token-bound one.
 */
const MODULE_METHODS = ['libraryInfo', 'listSlots', 'initToken'] as const satisfies readonly ModuleMethod[];
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const moduleMethodsComplete: SameMembers<ModuleMethod, (typeof MODULE_METHODS)[number]> = true;
void moduleMethodsComplete;

const MODULE_METHOD_SET: ReadonlySet<string> = new Set(MODULE_METHODS);

class BoundToken {
  constructor(
    readonly serial: string,
    readonly caller: HsmCaller,
  ) {}
}

for (const name of HSM_METHODS) {
  if (name === 'open' || name === 'shutdown' || MODULE_METHOD_SET.has(name)) continue;
  Object.defineProperty(BoundToken.prototype, name, {
    // Writable, so a test double can replace one call on a real binding (Object.assign).
    writable: true,
    value(this: BoundToken, args?: object) {
      // The bound serial goes last: a stray `serial` in args never redirects the call to another token.
      return this.caller.call(name, { ...args, serial: this.serial } as HsmArgs<typeof name>);
    },
  });
}

/** `serial`'s token on the module behind `caller`: the same worker calls, the serial filled in. */
export function bindToken(caller: HsmCaller, serial: string): HsmToken {
  return new BoundToken(serial, caller) as BoundToken & HsmTokenCalls;
}
