/**
 * Library, slot and token administration: library info, slot listing with token info and
 * mechanisms, token initialization and PIN management. PINs are passed straight to the module and
 * never stored, logged or echoed in errors.
 */
import { CKR } from '../ckr';
import { CKF, CKU, MECHANISM_FLAGS } from './constants';
import { hsmFail } from './failure';
import { mechanismName } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import { paddedTokenLabel } from './templates';
import type { LibraryInfo, MechanismDescription, SlotDescription, TokenDescription } from '../types';
import type { PKCS11, SlotHandle } from './pkcs11';
import { ckrOf, handleToNumber, unpad } from './pkcs11';
import type { TokenRegistry } from './tokens';

function version(v: { major: number; minor: number }): string {
  return `${v.major}.${v.minor}`;
}

export function libraryInfo(p11: PKCS11): LibraryInfo {
  const info = p11.C_GetInfo();
  return {
    description: unpad(info.libraryDescription),
    manufacturer: unpad(info.manufacturerID),
    cryptokiVersion: version(info.cryptokiVersion),
    libraryVersion: version(info.libraryVersion),
  };
}

function tokenDescription(p11: PKCS11, slot: SlotHandle): TokenDescription {
  const info = p11.C_GetTokenInfo(slot);
  const has = (flag: number): boolean => (info.flags & flag) !== 0;
  return {
    label: unpad(info.label),
    serial: unpad(info.serialNumber),
    model: unpad(info.model),
    manufacturer: unpad(info.manufacturerID),
    initialized: has(CKF.TOKEN_INITIALIZED),
    userPinInitialized: has(CKF.USER_PIN_INITIALIZED),
    loginRequired: has(CKF.LOGIN_REQUIRED),
    userPinLocked: has(CKF.USER_PIN_LOCKED),
    soPinLocked: has(CKF.SO_PIN_LOCKED),
  };
}

function mechanisms(p11: PKCS11, slot: SlotHandle): MechanismDescription[] {
  return p11.C_GetMechanismList(slot).map((type) => {
    const info = p11.C_GetMechanismInfo(slot, type);
    return {
      name: mechanismName(type),
      type,
      minKeySize: info.minKeySize,
      maxKeySize: info.maxKeySize,
      // `>>> 0` keeps bit 31 (CKF_EXTENSION) from turning the test negative.
      flags: MECHANISM_FLAGS.filter(([bit]) => ((info.flags & bit) >>> 0) !== 0).map(([, name]) => name),
    };
  });
}

export function listSlots(p11: PKCS11): SlotDescription[] {
  return p11.C_GetSlotList(false).map((slot) => {
    const info = p11.C_GetSlotInfo(slot);
    const tokenPresent = (info.flags & CKF.TOKEN_PRESENT) !== 0;
    return {
      slotId: handleToNumber(slot),
      description: unpad(info.slotDescription),
      tokenPresent,
      token: tokenPresent ? tokenDescription(p11, slot) : null,
      mechanisms: tokenPresent ? mechanisms(p11, slot) : [],
    };
  });
}

interface SlotToken {
  slot: SlotHandle;
  slotId: number;
  token: TokenDescription;
}

function presentTokens(p11: PKCS11): SlotToken[] {
  return p11.C_GetSlotList(true).map((slot) => ({ slot, slotId: handleToNumber(slot), token: tokenDescription(p11, slot) }));
}

/**
 * Initializes the token in `slotId`, or in the first slot with an uninitialized token (SoftHSM
 * always offers one spare). SoftHSM gives the token a new serial and, after a restart, a new slot
 * id, so the serial is found afterwards: the same slot if it still carries the label, else the one
 * initialized token with this label that did not exist before.
 */
export function initToken(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'initToken'>): { serial: string } {
  const before = presentTokens(p11);
  const target =
    args.slotId === undefined ? before.find((t) => !t.token.initialized) : before.find((t) => t.slotId === args.slotId);
  if (!target) {
    throw hsmFail(
      'HsmError.TokenNotPresent',
      args.slotId === undefined ? 'initToken: no slot holds an uninitialized token' : 'initToken: no token in this slot',
    );
  }
  if (target.token.initialized && !args.reinitialize) {
    throw hsmFail('InvalidParameter', 'initToken: the token is already initialized; re-initializing erases every key on it');
  }
  // C_InitToken fails with CKR_SESSION_EXISTS while we hold sessions on the token.
  tokens.dropSlot(target.slot);
  const knownSerials = new Set(before.filter((t) => t.token.initialized && t !== target).map((t) => t.token.serial));
  const label = args.label.trimEnd();

  p11.C_InitToken(target.slot, args.soPin, paddedTokenLabel(label));

  const after = presentTokens(p11);
  const sameSlot = after.find((t) => t.slotId === target.slotId && t.token.initialized && t.token.label === label);
  if (sameSlot) return { serial: sameSlot.token.serial };
  const fresh = after.filter((t) => t.token.initialized && t.token.label === label && !knownSerials.has(t.token.serial));
  const only = fresh.length === 1 ? fresh[0] : undefined;
  if (!only) throw hsmFail('HsmError.Generic', 'initToken: the token was initialized but could not be identified by label');
  return { serial: only.token.serial };
}

/** Logs in as SO on a pool session, sets the user PIN, and always logs the SO out again. */
export async function initUserPin(tokens: TokenRegistry, p11: PKCS11, args: HsmArgs<'initUserPin'>): Promise<null> {
  const token = tokens.get(args.serial);
  await token.withSession((session) => {
    p11.C_Login(session, CKU.SO, args.soPin);
    let failure: unknown = null;
    try {
      p11.C_InitPIN(session, args.userPin);
    } catch (error) {
      failure = error;
    }
    // The SO must not stay logged in, whether or not C_InitPIN worked.
    try {
      p11.C_Logout(session);
    } catch (error) {
      if (failure === null && ckrOf(error) !== CKR.USER_NOT_LOGGED_IN) failure = error;
    }
    if (failure !== null) throw failure;
  });
  return null;
}

/** C_SetPIN changes the user PIN when the session is public or logged in as user. */
export async function setUserPin(tokens: TokenRegistry, p11: PKCS11, args: HsmArgs<'setUserPin'>): Promise<null> {
  const token = tokens.get(args.serial);
  await token.withSession((session) => p11.C_SetPIN(session, args.oldPin, args.newPin));
  return null;
}
