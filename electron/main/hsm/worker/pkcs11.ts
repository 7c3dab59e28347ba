/**
 * Loads pkcs11js inside the worker only. pkcs11js is CommonJS with runtime-defined exports, so it
 * is required (not imported) to work the same under tsx, vitest and a bundled build; the main
 * process never loads the native binding at all.
 */
import { createRequire } from 'node:module';
import type { GcmParams, PKCS11, RsaOAEP, RsaPSS } from 'pkcs11js';

export type Pkcs11Js = typeof import('pkcs11js');
export type Session = Buffer;
export type ObjectHandle = Buffer;
export type SlotHandle = Buffer;
export type { GcmParams, PKCS11, RsaOAEP, RsaPSS };

let cached: Pkcs11Js | null = null;

export function pkcs11js(): Pkcs11Js {
  if (!cached) cached = createRequire(import.meta.url)('pkcs11js') as Pkcs11Js;
  return cached;
}

/** A PKCS#11 error from the binding: `code` is the CK_RV. Duck-typed so tests need no native load. */
export interface Pkcs11ErrorLike extends Error {
  name: 'Pkcs11Error';
  /** The CK_RV; `message` is its CKR_* name. */
  code: number;
}

export function isPkcs11Error(error: unknown): error is Pkcs11ErrorLike {
  return (
    error instanceof Error &&
    error.name === 'Pkcs11Error' &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

export function ckrOf(error: unknown): number | null {
  return isPkcs11Error(error) ? error.code : null;
}

/**
 * Runs `attempt` a second time when its first failure returned one of `ckrs`. For SoftHSM2's object
 * store, which fails a call racing another session's or process's write (softhsm/SoftHSMv2#573);
 * each caller says why its call is safe to repeat.
 */
export async function retryOnceOn<T>(ckrs: readonly number[], attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    const ckr = ckrOf(error);
    if (ckr === null || !ckrs.includes(ckr)) throw error;
    return attempt();
  }
}

/** Strips the space/NUL padding of CK_*_INFO string fields. */
export function unpad(value: string): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === ' ' || value[end - 1] === '\u0000')) end--;
  return value.slice(0, end);
}

/** Slot handles are CK_ULONG buffers (8 bytes on LP64, 4 on Windows); slot ids are shown as numbers. */
export function handleToNumber(handle: Buffer): number {
  if (handle.length >= 8) return Number(handle.readBigUInt64LE(0));
  return handle.readUInt32LE(0);
}

/** Reads a CK_ULONG attribute value. */
export function readUlong(value: Buffer): number {
  if (value.length >= 8) return Number(value.readBigUInt64LE(0));
  if (value.length >= 4) return value.readUInt32LE(0);
  return value[0] ?? 0;
}

export function readBool(value: Buffer): boolean {
  return (value[0] ?? 0) !== 0;
}
