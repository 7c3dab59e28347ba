import type { KeyMetadata, KeySpec, KeyState, KeyUsage, Origin, ProtectionLevel } from '../../../../shared/contract';

export type AutomaticRotation = KeyMetadata['AutomaticRotation'];

/**
 * One CMK: every KeyMetadata field that is not derived (the ARN is built from meta owner/region).
 * Optional dates are null rather than the contract's empty strings.
 */
export interface KeyRow {
  id: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  protectionLevel: ProtectionLevel;
  /** Null only on a tombstone whose key store was deleted afterwards. */
  keyStoreId: string | null;
  keyState: KeyState;
  creator: string;
  createdAt: string;
  deleteDate: string | null;
  materialExpireTime: string | null;
  primaryVersionId: string | null;
  automaticRotation: AutomaticRotation;
  rotationInterval: string | null;
  nextRotationDate: string | null;
  lastRotationDate: string | null;
  /** Set once the key material is destroyed; the row stays so old audit records still resolve. */
  deletedAt: string | null;
  /** Origin EXTERNAL_KEY_STORE only: the key's id at its store's XKS proxy. */
  xksKeyId: string | null;
}

/** A ListKeys row: the key plus its alias names, sorted. */
export interface KeyListRow extends KeyRow {
  aliases: string[];
}

/** Every field but the id may change after creation. */
export type KeyPatch = Partial<Omit<KeyRow, 'id'>>;

export const KEY_COLUMNS: Record<keyof KeyRow, string> = {
  id: 'id',
  description: 'description',
  keySpec: 'key_spec',
  keyUsage: 'key_usage',
  origin: 'origin',
  protectionLevel: 'protection_level',
  keyStoreId: 'key_store_id',
  keyState: 'key_state',
  creator: 'creator',
  createdAt: 'created_at',
  deleteDate: 'delete_date',
  materialExpireTime: 'material_expire_time',
  primaryVersionId: 'primary_version_id',
  automaticRotation: 'automatic_rotation',
  rotationInterval: 'rotation_interval',
  nextRotationDate: 'next_rotation_date',
  lastRotationDate: 'last_rotation_date',
  deletedAt: 'deleted_at',
  xksKeyId: 'xks_key_id',
};

export const KEY_FIELDS = Object.keys(KEY_COLUMNS) as (keyof KeyRow)[];

/** `k.key_spec AS keySpec, ...`: rows come back already in camelCase. */
export const KEY_SELECT = KEY_FIELDS.map((field) => `k.${KEY_COLUMNS[field]} AS ${field}`).join(', ');
