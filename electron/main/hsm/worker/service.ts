/**
 * The worker's request handler: validates each request, dispatches it to the PKCS#11 code, keeps
 * track of in-flight calls so shutdown can drain them before C_Finalize, and drops a token's
 * state when the token is lost (its sessions and login are gone with it).
 */
import { hsmFail } from './failure';
import { changesObjectStore, type HsmArgs, type HsmMethod, type HsmResult, type TokenMethod } from '../protocol';
import type { LibraryInfo } from '../types';
import { validators } from './validate';
import { keyCheckValue } from './check-value';
import { getDataObjects, putDataObject } from './data-objects';
import { decrypt, encrypt, generateRandom, sign, verify } from './crypto';
import { describeKey, destroyKey, generateKey, getPublicKey, keyExists } from './keys';
import { listObjects } from './list-objects';
import type { PKCS11 } from './pkcs11';
import { isPkcs11Error, pkcs11js } from './pkcs11';
import { generateImportKeyPair, unwrapImportedKey } from './import-keys';
import { initToken, initUserPin, libraryInfo, listSlots, setUserPin } from './slots';
import { isTokenLost, TokenRegistry } from './tokens';
import { generateOwnerKey, ownerSign } from './owner-key';
import { checkSoPin, createPublicKey, generateDomainKey, generateTransportKey, importTrustedWrapKey, unwrapDomainKey, unwrapKey, wrapKey } from './wrap';

type Impl = { [M in TokenMethod]: (p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<M>) => Promise<HsmResult<M>> | HsmResult<M> };

const IMPL: Impl = {
  libraryInfo: (p11) => libraryInfo(p11),
  listSlots: (p11) => listSlots(p11),
  initToken: (p11, tokens, args) => initToken(p11, tokens, args),
  initUserPin: (p11, tokens, args) => initUserPin(tokens, p11, args),
  setUserPin: (p11, tokens, args) => setUserPin(tokens, p11, args),
  login: (_p11, tokens, args) => {
    tokens.get(args.serial).login(args.userPin);
    return null;
  },
  logout: (_p11, tokens, args) => {
    tokens.get(args.serial).logout();
    return null;
  },
  isLoggedIn: (_p11, tokens, args) => tokens.get(args.serial).isLoggedIn(),
  generateKey,
  destroyKey,
  keyExists: (_p11, tokens, args) => keyExists(tokens, args),
  describeKey,
  listObjects,
  keyCheckValue,
  getDataObjects,
  putDataObject,
  encrypt,
  decrypt,
  sign,
  verify,
  getPublicKey,
  generateRandom,
  generateImportKeyPair,
  unwrapImportedKey,
  checkSoPin,
  generateDomainKey,
  generateTransportKey,
  importTrustedWrapKey,
  unwrapDomainKey,
  wrapKey,
  unwrapKey,
  createPublicKey,
  generateOwnerKey,
  ownerSign,
};

const DRAIN_TIMEOUT_MS = 10_000;

export class HsmWorkerService {
  private p11: PKCS11 | null = null;
  private tokens: TokenRegistry | null = null;
  private loadFailure: Error | null = null;
  private inFlight = 0;
  private readonly drainWaiters: Array<() => void> = [];
  private shuttingDown = false;
  /** Tail of the queue of calls that change the object store. */
  private creating: Promise<unknown> = Promise.resolve();

  async handle(method: HsmMethod, rawArgs: unknown): Promise<unknown> {
    if (this.shuttingDown) throw hsmFail('HsmError.WorkerCrashed', `${method}: the HSM worker is shutting down (it restarts on the next call)`);
    if (method === 'open') return this.open(validators.open(rawArgs).path);
    if (method === 'shutdown') return this.shutdown();
    if (this.loadFailure) throw this.loadFailure;
    const { p11, tokens } = this;
    if (!p11 || !tokens) throw hsmFail('HsmError.ModuleLoadFailed', `${method}: the PKCS#11 module is not loaded`);
    const args = validators[method](rawArgs);
    this.inFlight++;
    try {
      const run = async (): Promise<unknown> => (IMPL[method] as (p: PKCS11, t: TokenRegistry, a: unknown) => unknown)(p11, tokens, args);
      if (!changesObjectStore(method)) return await run();
      const result = this.creating.then(run, run);
      this.creating = result.catch(() => undefined);
      return await result;
    } catch (error) {
      const serial = (args as { serial?: unknown }).serial;
      if (typeof serial === 'string' && isTokenLost(error)) tokens.drop(serial);
      throw error;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.drainWaiters.splice(0)) wake();
    }
  }

  /** Loads the library and initializes it; the module reads SOFTHSM2_CONF etc. from our env now. */
  private open(path: string): LibraryInfo {
    if (this.p11) return libraryInfo(this.p11);
    const P = pkcs11js();
    const p11 = new P.PKCS11();
    try {
      p11.load(path);
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 200) : '';
      this.loadFailure = hsmFail('HsmError.ModuleLoadFailed', `open: cannot load the PKCS#11 library (${detail})`);
      throw this.loadFailure;
    }
    try {
      // p11-kit's client refuses to initialize without OS locking (CKR_CANT_LOCK).
      p11.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
    } catch (error) {
      const ckr = isPkcs11Error(error) ? error.message : null;
      this.loadFailure = hsmFail('HsmError.ModuleLoadFailed', `open: C_Initialize failed${ckr ? ` (${ckr})` : ''}`, ckr);
      throw this.loadFailure;
    }
    this.p11 = p11;
    this.tokens = new TokenRegistry(p11);
    return libraryInfo(p11);
  }

  /** Waits for in-flight calls (bounded), ends every session and finalizes the module. */
  async shutdown(): Promise<null> {
    this.shuttingDown = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
        this.drainWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const { p11, tokens } = this;
    this.p11 = null;
    this.tokens = null;
    if (p11) {
      tokens?.closeAll();
      try {
        p11.C_Finalize();
        p11.close();
      } catch {
        // Finalizing a module that already failed hard: the process ends right after anyway.
      }
    }
    return null;
  }
}
