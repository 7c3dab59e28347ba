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
} from './types';
import type { ImportKeyPairArgs, UnwrapImportedKeyArgs } from './import-types';

type NoArgs = Record<string, never>;

/** Every method the worker serves, with its argument and result shapes. */
export interface HsmMethods {
  /** Sent by the client first on every launch: load the library and C_Initialize. */
  open: { args: { path: string }; result: LibraryInfo };
  /** Sent by close(): drain in-flight calls, C_Finalize, then exit. */
  shutdown: { args: NoArgs; result: null };
  libraryInfo: { args: NoArgs; result: LibraryInfo };
  listSlots: { args: NoArgs; result: SlotDescription[] };
  initToken: { args: InitTokenArgs; result: { serial: string } };
  initUserPin: { args: InitUserPinArgs; result: null };
  setUserPin: { args: SetUserPinArgs; result: null };
  login: { args: LoginArgs; result: null };
  logout: { args: TokenRef; result: null };
  isLoggedIn: { args: TokenRef; result: boolean };
  generateKey: { args: GenerateKeyArgs; result: { objectId: ObjectId } };
  destroyKey: { args: KeyRef; result: { destroyed: number } };
  keyExists: { args: KeyRef; result: boolean };
  describeKey: { args: KeyRef; result: KeyObjectInfo[] };
  /** Every object the logged-in user sees on the token (CKA_ID, class, label), for reconciliation. */
  listObjects: { args: TokenRef; result: TokenObjectInfo[] };
  /** A key check value computed inside the HSM (see worker/check-value.ts). */
  keyCheckValue: { args: KeyRef; result: Buffer };
  /** The values of the private data objects with this label (see worker/data-objects.ts). */
  getDataObjects: { args: DataObjectRef; result: Buffer[] };
  /** Stores the value as the private data object with this label, replacing any before it. */
  putDataObject: { args: PutDataObjectArgs; result: null };
  encrypt: { args: CipherArgs; result: Buffer };
  decrypt: { args: CipherArgs; result: Buffer };
  sign: { args: SignArgs; result: Buffer };
  verify: { args: VerifyArgs; result: boolean };
  getPublicKey: { args: KeyRef; result: PublicKeyMaterial };
  generateRandom: { args: RandomArgs; result: Buffer };
  generateImportKeyPair: { args: ImportKeyPairArgs; result: RsaPublicKeyMaterial };
  unwrapImportedKey: { args: UnwrapImportedKeyArgs; result: { objectId: ObjectId } };
  /** Logs the SO in and out again: proves the SO PIN before anything is changed. */
  checkSoPin: { args: SoPinArgs; result: null };
  generateDomainKey: { args: SoObjectArgs; result: null };
  generateTransportKey: { args: SoObjectArgs; result: RsaPublicKeyMaterial };
  importTrustedWrapKey: { args: ImportTrustedWrapKeyArgs; result: null };
  unwrapDomainKey: { args: UnwrapDomainKeyArgs; result: null };
  wrapKey: { args: WrapKeyArgs; result: Buffer };
  unwrapKey: { args: UnwrapKeyArgs; result: { objectId: ObjectId } };
  createPublicKey: { args: CreatePublicKeyArgs; result: null };
  generateOwnerKey: { args: SoObjectArgs; result: PublicKeyMaterial };
  ownerSign: { args: OwnerSignArgs; result: OwnerSignature };
}

export type HsmMethod = keyof HsmMethods;
export type HsmArgs<M extends HsmMethod> = HsmMethods[M]['args'];
export type HsmResult<M extends HsmMethod> = HsmMethods[M]['result'];

export const HSM_METHODS: readonly HsmMethod[] = [
  'open',
  'shutdown',
  'libraryInfo',
  'listSlots',
  'initToken',
  'initUserPin',
  'setUserPin',
  'login',
  'logout',
  'isLoggedIn',
  'generateKey',
  'destroyKey',
  'keyExists',
  'describeKey',
  'listObjects',
  'keyCheckValue',
  'getDataObjects',
  'putDataObject',
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'getPublicKey',
  'generateRandom',
  'generateImportKeyPair',
  'unwrapImportedKey',
  'checkSoPin',
  'generateDomainKey',
  'generateTransportKey',
  'importTrustedWrapKey',
  'unwrapDomainKey',
  'wrapKey',
  'unwrapKey',
  'createPublicKey',
  'generateOwnerKey',
  'ownerSign',
];

export interface WorkerRequest<M extends HsmMethod = HsmMethod> {
  id: number;
  method: M;
  args: HsmArgs<M>;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; failure: HsmFailure };

export function isHsmMethod(value: unknown): value is HsmMethod {
  return typeof value === 'string' && (HSM_METHODS as readonly string[]).includes(value);
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
