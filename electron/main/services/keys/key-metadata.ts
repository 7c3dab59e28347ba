import type { KeyListEntry, KeyMetadata } from '../../../../shared/contract';
import type { KeyListRow, KeyRow } from '../../registry';
import { keyArn } from './key-identifiers';
import { apiDate } from '../api-date';

/** Where the ARN's region and owner come from (the installation's meta rows). */
export interface ArnScope {
  region: string;
  owner: string;
}

/** Registry row → the contract's KeyMetadata; absent dates are empty strings as in the cloud API. */
export function toKeyMetadata(row: KeyRow, scope: ArnScope): KeyMetadata {
  return {
    CreationDate: apiDate(row.createdAt),
    Description: row.description,
    KeyId: row.id,
    KeyState: row.keyState,
    KeyUsage: row.keyUsage,
    KeySpec: row.keySpec,
    DeleteDate: apiDate(row.deleteDate),
    Creator: row.creator,
    Arn: keyArn(scope.region, scope.owner, row.id),
    ...(row.xksKeyId !== null ? { XksKeyConfiguration: { Id: row.xksKeyId } } : {}),
    Origin: row.origin,
    MaterialExpireTime: apiDate(row.materialExpireTime),
    ProtectionLevel: row.protectionLevel,
    KeyStoreId: row.keyStoreId ?? '',
    PrimaryKeyVersion: row.primaryVersionId ?? '',
    AutomaticRotation: row.automaticRotation,
    RotationInterval: row.rotationInterval ?? '',
    NextRotationDate: apiDate(row.nextRotationDate),
    LastRotationDate: apiDate(row.lastRotationDate),
  };
}

export function toKeyListEntry(row: KeyListRow, scope: ArnScope): KeyListEntry {
  return {
    KeyId: row.id,
    KeyArn: keyArn(scope.region, scope.owner, row.id),
    KeySpec: row.keySpec,
    KeyUsage: row.keyUsage,
    KeyState: row.keyState,
    ProtectionLevel: row.protectionLevel,
    KeyStoreId: row.keyStoreId ?? '',
    Description: row.description,
    CreationDate: apiDate(row.createdAt),
    Aliases: row.aliases,
  };
}
