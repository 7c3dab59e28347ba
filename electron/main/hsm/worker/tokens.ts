/**
 * Per-token state inside the worker, addressed by serial (SoftHSM renumbers slots when a token is
 * initialized and on every restart, serials stay): the anchor session that holds the login (closing
 * a token's last session logs it out and invalidates private handles), the session pool, and the
 * CKA_ID → handles cache that spares a C_FindObjects per operation.
 */
import { CKR, failureFromCkr } from '../ckr';
import { CKA, CKO, CKS, CKU } from './constants';
import { HsmOpError, hsmFail } from './failure';
import { objectIdBytes } from './templates';
import { SessionPool, sessionPoolSize } from './session-pool';
import type { ObjectHandle, PKCS11, Session, SlotHandle } from './pkcs11';
import { ckrOf, readUlong, unpad } from './pkcs11';

export interface KeyHandles {
  secret?: ObjectHandle;
  private?: ObjectHandle;
  public?: ObjectHandle;
  all: ObjectHandle[];
  /** CKK_* of the key objects; checked before every *Init because SoftHSM 2.6.1 accepts a
   * mismatched key at C_SignInit and then crashes (e.g. CKM_RSA_PKCS_PSS with an EC key). */
  keyType: number | null;
}

/** Errors after which an operation's session is still clean (the operation ended normally). */
const CLEAN_SESSION_CKRS: ReadonlySet<number> = new Set([CKR.SIGNATURE_INVALID, CKR.SIGNATURE_LEN_RANGE]);

/** Errors after which no session or login of this token can be trusted any more. */
const TOKEN_LOST_CKRS: ReadonlySet<number> = new Set([
  CKR.DEVICE_REMOVED,
  CKR.TOKEN_NOT_PRESENT,
  CKR.SLOT_ID_INVALID,
  CKR.SESSION_HANDLE_INVALID,
  CKR.SESSION_CLOSED,
  CKR.DEVICE_ERROR,
]);

export function isTokenLost(error: unknown): boolean {
  const rv = ckrOf(error);
  return rv !== null && TOKEN_LOST_CKRS.has(rv);
}

export function isStaleHandle(error: unknown): boolean {
  const rv = ckrOf(error);
  return rv === CKR.OBJECT_HANDLE_INVALID || rv === CKR.KEY_HANDLE_INVALID;
}

export class TokenState {
  readonly pool: SessionPool;
  private readonly anchor: Session;
  private readonly objects = new Map<string, KeyHandles>();

  constructor(
    private readonly p11: PKCS11,
    readonly serial: string,
    readonly slot: SlotHandle,
  ) {
    this.pool = new SessionPool(p11, slot, sessionPoolSize(p11.C_GetTokenInfo(slot).maxRwSessionCount));
    this.anchor = this.pool.openSession();
  }

  isLoggedIn(): boolean {
    const { state } = this.p11.C_GetSessionInfo(this.anchor);
    return state === CKS.RO_USER_FUNCTIONS || state === CKS.RW_USER_FUNCTIONS;
  }

  requireLogin(operation: string): void {
    if (!this.isLoggedIn()) throw failureError(CKR.USER_NOT_LOGGED_IN, operation);
  }

  /** Idempotent: a token that is already logged in as user counts as success. */
  login(pin: string): void {
    try {
      this.p11.C_Login(this.anchor, CKU.USER, pin);
    } catch (error) {
      if (ckrOf(error) !== CKR.USER_ALREADY_LOGGED_IN) throw error;
    }
  }

  logout(): void {
    this.objects.clear(); // private object handles die with the login
    try {
      this.p11.C_Logout(this.anchor);
    } catch (error) {
      if (ckrOf(error) !== CKR.USER_NOT_LOGGED_IN) throw error;
    }
  }

  /**
   * Runs `fn` with a borrowed session. The session goes back to the pool unless a PKCS#11 call
   * failed in a way that may leave an operation active; then it is closed.
   */
  async withSession<T>(fn: (session: Session) => Promise<T> | T): Promise<T> {
    const session = await this.pool.acquire();
    let discard = false;
    try {
      return await fn(session);
    } catch (error) {
      const rv = ckrOf(error);
      discard = rv !== null ? !CLEAN_SESSION_CKRS.has(rv) : error instanceof TypeError;
      throw error;
    } finally {
      this.pool.release(session, discard);
    }
  }

  hasHandles(objectId: string): boolean {
    return this.objects.has(objectId);
  }

  /** Cached handles for a CKA_ID, searching the token only on a miss; null if nothing has that id. */
  lookup(session: Session, objectId: string): KeyHandles | null {
    const cached = this.objects.get(objectId);
    if (cached) return cached;
    const found = this.find(session, objectId);
    if (found.all.length === 0) return null;
    this.objects.set(objectId, found);
    return found;
  }

  /** Always asks the token (destroy, describe, duplicate checks must not trust the cache). */
  find(session: Session, objectId: string): KeyHandles {
    const handles: ObjectHandle[] = [];
    this.p11.C_FindObjectsInit(session, [{ type: CKA.ID, value: objectIdBytes(objectId) }]);
    try {
      for (;;) {
        const batch = this.p11.C_FindObjects(session, 16);
        if (batch.length === 0) break;
        handles.push(...batch);
      }
    } finally {
      this.p11.C_FindObjectsFinal(session);
    }
    const result: KeyHandles = { all: handles, keyType: null };
    for (const handle of handles) {
      const [classAttr] = this.p11.C_GetAttributeValue(session, handle, [{ type: CKA.CLASS }]);
      const objectClass = classAttr ? readUlong(classAttr.value) : -1;
      if (objectClass !== CKO.SECRET_KEY && objectClass !== CKO.PRIVATE_KEY && objectClass !== CKO.PUBLIC_KEY) continue;
      if (objectClass === CKO.SECRET_KEY) result.secret = handle;
      else if (objectClass === CKO.PRIVATE_KEY) result.private = handle;
      else result.public = handle;
      const [typeAttr] = this.p11.C_GetAttributeValue(session, handle, [{ type: CKA.KEY_TYPE }]);
      if (typeAttr) result.keyType = readUlong(typeAttr.value);
    }
    return result;
  }

  remember(objectId: string, handles: KeyHandles): void {
    this.objects.set(objectId, handles);
  }

  forget(objectId: string): void {
    this.objects.delete(objectId);
  }

  /** Ends every session (and with them the login) of this token. */
  close(): void {
    this.objects.clear();
    this.pool.close();
    this.pool.closeQuietly(this.anchor);
  }
}

export function failureError(rv: number, operation: string): HsmOpError {
  return new HsmOpError(failureFromCkr(rv, operation));
}

/** Finds tokens by serial and keeps one TokenState per token. */
export class TokenRegistry {
  private readonly tokens = new Map<string, TokenState>();

  constructor(private readonly p11: PKCS11) {}

  get(serial: string): TokenState {
    const known = this.tokens.get(serial);
    if (known) return known;
    const slot = this.findSlot(serial);
    if (!slot) throw hsmFail('HsmError.TokenNotPresent', 'no initialized token with this serial is present');
    const state = new TokenState(this.p11, serial, slot);
    this.tokens.set(serial, state);
    return state;
  }

  /** Drops a token's state (after it was lost or before it is re-initialized). */
  drop(serial: string): void {
    const state = this.tokens.get(serial);
    if (!state) return;
    this.tokens.delete(serial);
    state.close();
  }

  dropSlot(slot: SlotHandle): void {
    for (const state of [...this.tokens.values()]) {
      if (state.slot.equals(slot)) this.drop(state.serial);
    }
  }

  closeAll(): void {
    for (const serial of [...this.tokens.keys()]) this.drop(serial);
  }

  private findSlot(serial: string): SlotHandle | null {
    for (const slot of this.p11.C_GetSlotList(true)) {
      try {
        const info = this.p11.C_GetTokenInfo(slot);
        if (unpad(info.serialNumber) === serial) return slot;
      } catch {
        // A token that vanished between listing and asking is simply not the one we want.
      }
    }
    return null;
  }
}
