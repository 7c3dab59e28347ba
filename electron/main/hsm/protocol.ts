/**
 * Messages between HsmModuleClient (main process) and the PKCS#11 worker process.
 * Request `{id, method, args}` → response `{id, ok: true, result}` or `{id, ok: false, failure}`.
 * Everything is plain data; Buffers survive Node's 'advanced' serialization but arrive as plain
 * Uint8Array through Electron's utilityProcess, so both ends run `reviveBuffers` on receipt.
 */
import type {
  CipherArgs,
  DataObjectRef,
  GenerateKeyArgs,
  HsmFailure,
  InitTokenArgs,
  InitUserPinArgs,
  KeyObjectInfo,
  TokenObjectInfo,
  KeyRef,
  LibraryInfo,
  LoginArgs,
  ObjectId,
  PublicKeyMaterial,
  PutDataObjectArgs,
  RandomArgs,
  SetUserPinArgs,
  SignArgs,
  SlotDescription,
  TokenRef,
  VerifyArgs,
  RsaPublicKeyMaterial,
  CreatePublicKeyArgs,
  OwnerSignArgs,
  OwnerSignature,
  ImportTrustedWrapKeyArgs,
  SoObjectArgs,
  SoPinArgs,
  UnwrapDomainKeyArgs,
  UnwrapKeyArgs,
  WrapKeyArgs,
  ImportKeyPairArgs,
  UnwrapImportedKeyArgs,
} from './types';

type NoArgs = Record<string, never>;

/** How the two ends treat a method besides its shapes. */
interface MethodTraits {
  /** Gets the long timeout: key generation and token initialization (RSA-4096 on slow HSMs). */
  readonly slow: boolean;
  /**
   * Creates or destroys token objects. SoftHSM2 2.6 fails concurrent object creation and removal
   * now and then with CKR_GENERAL_ERROR (softhsm/SoftHSMv2#573; seen here with 4 CreateKey calls
   * in flight on a cluster store), so the worker runs these one at a time; every other call
   * (crypto, reads) still runs concurrently.
   */
  readonly changesObjectStore: boolean;
}

/** A method's declaration: its traits at run time, its argument and result shapes as types only. */
interface MethodSpec<Args, Result> extends MethodTraits {
  readonly shapes?: { args: Args; result: Result };
}

function method<Args, Result>(traits: Partial<MethodTraits> = {}): MethodSpec<Args, Result> {
  return { slow: traits.slow ?? false, changesObjectStore: traits.changesObjectStore ?? false };
}

const CREATES = { changesObjectStore: true } as const;
const SLOW_CREATES = { slow: true, changesObjectStore: true } as const;

/**
 * Every method the worker serves, declared once. The worker's validators and implementations are
 * typed as mapped types over this table, so a method missing from either does not compile.
 */
export const HSM_METHOD_TABLE = {
  /** Sent by the client first on every launch: load the library and C_Initialize. */
  open: method<{ path: string }, LibraryInfo>(),
  /** Sent by close(): drain in-flight calls, C_Finalize, then exit. */
  shutdown: method<NoArgs, null>(),
  libraryInfo: method<NoArgs, LibraryInfo>(),
  listSlots: method<NoArgs, SlotDescription[]>(),
  initToken: method<InitTokenArgs, { serial: string }>(SLOW_CREATES),
  initUserPin: method<InitUserPinArgs, null>(),
  setUserPin: method<SetUserPinArgs, null>(),
  /** Idempotent; the login lasts until logout, a token loss or a worker restart. */
  login: method<LoginArgs, null>(),
  logout: method<TokenRef, null>(),
  isLoggedIn: method<TokenRef, boolean>(),
  generateKey: method<GenerateKeyArgs, { objectId: ObjectId }>(SLOW_CREATES),
  /** Destroys every object with the key's CKA_ID. */
  destroyKey: method<KeyRef, { destroyed: number }>(CREATES),
  keyExists: method<KeyRef, boolean>(),
  describeKey: method<KeyRef, KeyObjectInfo[]>(),
  /** Every object the logged-in user sees on the token (CKA_ID, class, label), for reconciliation. */
  listObjects: method<TokenRef, TokenObjectInfo[]>(),
  /**
   * A check value of the key computed inside the HSM (KCV, see worker/check-value.ts): equal on
   * every faithful copy of one key, an error on a copy whose material is damaged. Never shown.
   */
  keyCheckValue: method<KeyRef, Buffer>(),
  /** The values of the private data objects with this label (see worker/data-objects.ts); usually one, or none. */
  getDataObjects: method<DataObjectRef, Buffer[]>(),
  /** Stores the value as the private data object with this label, replacing any before it. */
  putDataObject: method<PutDataObjectArgs, null>(CREATES),
  encrypt: method<CipherArgs, Buffer>(),
  decrypt: method<CipherArgs, Buffer>(),
  /** ECDSA gives raw r||s; RSA mechanisms take the SHA-256 digest; HMAC takes the message. */
  sign: method<SignArgs, Buffer>(),
  verify: method<VerifyArgs, boolean>(),
  getPublicKey: method<KeyRef, PublicKeyMaterial>(),
  generateRandom: method<RandomArgs, Buffer>(),
  /* Import of external key material. */
  generateImportKeyPair: method<ImportKeyPairArgs, RsaPublicKeyMaterial>(SLOW_CREATES),
  unwrapImportedKey: method<UnwrapImportedKeyArgs, { objectId: ObjectId }>(CREATES),
  /* Cluster provisioning (SO login; PINs are used for the call only) and key replication. */
  /** Logs the SO in and out again: proves the SO PIN before anything is changed. */
  checkSoPin: method<SoPinArgs, null>(),
  generateDomainKey: method<SoObjectArgs, null>(CREATES),
  generateTransportKey: method<SoObjectArgs, RsaPublicKeyMaterial>(SLOW_CREATES),
  importTrustedWrapKey: method<ImportTrustedWrapKeyArgs, null>(CREATES),
  unwrapDomainKey: method<UnwrapDomainKeyArgs, null>(CREATES),
  // C_WrapKey creates no object, but it has always run in the serialized queue (behaviour kept).
  wrapKey: method<WrapKeyArgs, Buffer>(CREATES),
  unwrapKey: method<UnwrapKeyArgs, { objectId: ObjectId }>(CREATES),
  createPublicKey: method<CreatePublicKeyArgs, null>(CREATES),
  /** The cluster owner key pair (EC P-256, SO login); returns its public key. */
  generateOwnerKey: method<SoObjectArgs, PublicKeyMaterial>(SLOW_CREATES),
  /** Proof of possession: the owner key signs a digest inside the HSM; its public key comes back too. */
  ownerSign: method<OwnerSignArgs, OwnerSignature>(),
};

type MethodTable = typeof HSM_METHOD_TABLE;

/** The argument and result shapes of every method, derived from HSM_METHOD_TABLE. */
export type HsmMethods = {
  [M in keyof MethodTable]: MethodTable[M] extends MethodSpec<infer Args, infer Result> ? { args: Args; result: Result } : never;
};

export type HsmMethod = keyof HsmMethods;
export type HsmArgs<M extends HsmMethod> = HsmMethods[M]['args'];
export type HsmResult<M extends HsmMethod> = HsmMethods[M]['result'];
/** What a typed per-method call resolves to: methods answering null (done, nothing to return) give void. */
export type HsmCallResult<M extends HsmMethod> = HsmResult<M> extends null ? void : HsmResult<M>;
/** Methods about the module's tokens, as opposed to the worker's own lifecycle (open, shutdown). */
export type TokenMethod = Exclude<HsmMethod, 'open' | 'shutdown'>;

export const HSM_METHODS = Object.keys(HSM_METHOD_TABLE) as readonly HsmMethod[];

export function isSlowMethod(name: HsmMethod): boolean {
  return HSM_METHOD_TABLE[name].slow;
}

export function changesObjectStore(name: HsmMethod): boolean {
  return HSM_METHOD_TABLE[name].changesObjectStore;
}

export interface WorkerRequest<M extends HsmMethod = HsmMethod> {
  id: number;
  method: M;
  args: HsmArgs<M>;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; failure: HsmFailure };

export function isHsmMethod(value: unknown): value is HsmMethod {
  return typeof value === 'string' && Object.hasOwn(HSM_METHOD_TABLE, value);
}

/** Shape check of an incoming request; the args themselves are validated per method in the worker. */
export function parseRequest(value: unknown): { id: number; method: HsmMethod; args: unknown } | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.id !== 'number' || !Number.isSafeInteger(candidate.id)) return null;
  if (!isHsmMethod(candidate.method)) return null;
  return { id: candidate.id, method: candidate.method, args: reviveBuffers(candidate.args) };
}

export function parseResponse(value: unknown): WorkerResponse | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.id !== 'number') return null;
  if (candidate.ok === true) return { id: candidate.id, ok: true, result: reviveBuffers(candidate.result) };
  const failure = candidate.failure as Record<string, unknown> | undefined;
  if (candidate.ok !== false || typeof failure !== 'object' || failure === null) return null;
  if (typeof failure.code !== 'string' || typeof failure.message !== 'string') return null;
  const ckr = typeof failure.ckr === 'string' ? failure.ckr : null;
  return { id: candidate.id, ok: false, failure: { code: failure.code, ckr, message: failure.message } };
}

/** Turns every plain Uint8Array in a structured-cloned value back into a Buffer (without copying). */
export function reviveBuffers(value: unknown, depth = 0): unknown {
  if (depth > 8) return value; // protocol values are shallow; stop on anything pathological
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map((item) => reviveBuffers(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key !== '__proto__') out[key] = reviveBuffers(item, depth + 1);
    }
    return out;
  }
  return value;
}
