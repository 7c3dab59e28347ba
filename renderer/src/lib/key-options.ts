import {
  EXTERNAL_KEY_SPECS,
  USAGES_BY_SPEC,
  type ConnectionState,
  type KeySpec,
  type KeyState,
  type KeyUsage,
  type Origin,
} from '../../../shared/contract';
import { currentLocale, t } from '../i18n';
import '../i18n/areas/keys';

/** What CreateKey accepts, so the dialog only offers valid combinations. */

export function isSymmetricSpec(spec: KeySpec): boolean {
  return spec.startsWith('Aliyun_AES_');
}

export function isAsymmetricSpec(spec: KeySpec): boolean {
  return spec.startsWith('RSA_') || spec.startsWith('EC_');
}

export function usagesFor(spec: KeySpec): readonly KeyUsage[] {
  return USAGES_BY_SPEC[spec];
}

/** Imported (EXTERNAL) material: the specs CreateKey accepts with it (one list, shared with the service). */
export function originsFor(spec: KeySpec): readonly Origin[] {
  return EXTERNAL_KEY_SPECS.includes(spec) ? ['Aliyun_KMS', 'EXTERNAL'] : ['Aliyun_KMS'];
}

/** Automatic rotation generates new material: symmetric keys whose material the key store made. */
export function canRotate(spec: KeySpec, origin: Origin): boolean {
  return isSymmetricSpec(spec) && origin === 'Aliyun_KMS';
}

export const ROTATION_DAYS = { min: 7, max: 730 } as const;

/** A rotation interval in whole days as CreateKey / UpdateRotationPolicy take it (`30d`), or a problem. */
export function rotationInterval(days: number | null): { ok: true; value: string } | { ok: false; problem: string } {
  if (days === null || !Number.isInteger(days) || days < ROTATION_DAYS.min || days > ROTATION_DAYS.max) {
    return {
      ok: false,
      problem: t('keys.options.rotationProblem', {
        min: ROTATION_DAYS.min.toLocaleString(currentLocale()),
        max: ROTATION_DAYS.max.toLocaleString(currentLocale()),
      }),
    };
  }
  return { ok: true, value: `${days}d` };
}

/** `30d`, `720h`, `2592000s` → whole days for display (0 when absent or unreadable). */
export function intervalDays(interval: string): number {
  const match = /^(\d+)([dhs])$/.exec(interval);
  if (!match) return 0;
  const value = Number(match[1]);
  const seconds = match[2] === 'd' ? value * 86_400 : match[2] === 'h' ? value * 3_600 : value;
  return Math.round(seconds / 86_400);
}

// A type, not an interface: Naive UI's option type needs an implicit index signature.
export type KeyStoreChoice = {
  label: string;
  value: string;
  disabled: boolean;
};

interface StoreLike {
  KeyStoreId: string;
  KeyStoreName: string;
  KeyStoreType: string;
  ProtectionLevel: string;
  ConnectionState: ConnectionState;
  Initialized: boolean;
}

/**
 * Key stores a key can be created in: connected ones; the others are listed, disabled, with why.
 * Stores on a single-HSM lab cluster say so.
 */
export function keyStoreChoices(stores: readonly StoreLike[], labStoreIds: ReadonlySet<string> = new Set()): KeyStoreChoice[] {
  return stores.map((store) => {
    const connected = store.Initialized && store.ConnectionState === 'CONNECTED';
    const kind = t(
      store.KeyStoreType === 'DEFAULT'
        ? 'keys.options.storeKind.default'
        : store.KeyStoreType === 'EXTERNAL_KEY_STORE'
          ? 'keys.options.storeKind.external'
          : labStoreIds.has(store.KeyStoreId)
            ? 'keys.options.storeKind.lab'
            : 'keys.options.storeKind.hsm',
    );
    const values = { name: store.KeyStoreName, kind, protection: store.ProtectionLevel, state: store.ConnectionState.toLowerCase() };
    const label = t(connected ? 'keys.options.storeChoice' : 'keys.options.storeChoiceUnavailable', values);
    return { label, value: store.KeyStoreId, disabled: !connected };
  });
}

/** The cryptographic operations a key allows, one panel each on the key page. */
export type CryptoOperation = 'encrypt' | 'data-key' | 'asymmetric-encrypt' | 'sign' | 'mac';

export function operationsFor(spec: KeySpec, usage: KeyUsage): CryptoOperation[] {
  if (usage === 'ENCRYPT/DECRYPT') return isSymmetricSpec(spec) ? ['encrypt', 'data-key'] : ['asymmetric-encrypt'];
  if (usage === 'SIGN/VERIFY') return ['sign'];
  return ['mac'];
}

/** The state changes an officer can make from a key state (the key-state picture's arrows). */
export type KeyTransition = 'enable' | 'disable' | 'schedule-deletion' | 'cancel-deletion' | 'import-material' | 'delete-material';

export interface TransitionInfo {
  action: KeyTransition;
  label: string;
  to: KeyState;
  destructive: boolean;
}

/** `label` is a key of the 'keys' catalogue, translated when the transitions are read. */
const TRANSITIONS: Record<KeyTransition, Omit<TransitionInfo, 'action'>> = {
  enable: { label: 'keys.options.transitions.enable', to: 'Enabled', destructive: false },
  disable: { label: 'keys.options.transitions.disable', to: 'Disabled', destructive: true },
  'schedule-deletion': { label: 'keys.options.transitions.scheduleDeletion', to: 'PendingDeletion', destructive: true },
  'cancel-deletion': { label: 'keys.options.transitions.cancelDeletion', to: 'Enabled', destructive: false },
  'import-material': { label: 'keys.options.transitions.importMaterial', to: 'Enabled', destructive: false },
  'delete-material': { label: 'keys.options.transitions.deleteMaterial', to: 'PendingImport', destructive: true },
};

/** `hasMaterial`: the key has a primary version (an EXTERNAL key without an import has none). */
export function transitionsFrom(state: KeyState, origin: Origin, hasMaterial: boolean): TransitionInfo[] {
  const actions: KeyTransition[] = [];
  if (state === 'Enabled') actions.push('disable', 'schedule-deletion');
  if (state === 'Disabled') actions.push('enable', 'schedule-deletion');
  if (state === 'PendingDeletion') actions.push('cancel-deletion');
  if (state === 'PendingImport') actions.push('import-material', 'schedule-deletion');
  if (origin === 'EXTERNAL' && (state === 'Enabled' || state === 'Disabled')) actions.push('delete-material');
  return actions.map((action) => {
    const info = TRANSITIONS[action];
    // Without material a cancelled deletion goes back to waiting for an import.
    const to = action === 'cancel-deletion' && !hasMaterial ? 'PendingImport' : info.to;
    return { action, ...info, label: t(info.label), to };
  });
}

export const PENDING_WINDOW_DAYS = { min: 7, max: 366, default: 30 } as const;
