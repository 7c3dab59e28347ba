import { RESERVED_ALIAS_PREFIX } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';

/** ARN of a key as in Alibaba Cloud KMS: `acs:kms:<region>:<owner>:key/<KeyId>`. */
export function keyArn(region: string, owner: string, keyId: string): string {
  return `acs:kms:${region}:${owner}:key/${keyId}`;
}

export type KeyReference = { kind: 'id'; keyId: string } | { kind: 'alias'; aliasName: string };

const ARN_PATTERN = /^acs:kms:[^:]*:[^:]*:key\/(.+)$/;
const ALIAS_ARN_PATTERN = /^acs:kms:[^:]*:[^:]*:(alias\/.+)$/;

/** Reads a KeyId parameter: a key id, an alias name, or the ARN of either. */
export function parseKeyReference(value: string): KeyReference {
  const arn = ARN_PATTERN.exec(value);
  if (arn?.[1]) return { kind: 'id', keyId: arn[1] };
  const aliasArn = ALIAS_ARN_PATTERN.exec(value);
  if (aliasArn?.[1]) return { kind: 'alias', aliasName: aliasArn[1] };
  if (value.startsWith('alias/')) return { kind: 'alias', aliasName: value };
  return { kind: 'id', keyId: value };
}

/** CKA_ID of a key version's HSM objects: the version UUID's 16 bytes in hex. */
export function objectIdOfVersion(versionId: string): string {
  return versionId.replace(/-/g, '');
}

/** Aliases under RESERVED_ALIAS_PREFIX belong to Keyward (the default secrets key): no user creates, moves or deletes one. */
export function refuseReservedAlias(aliasName: string): void {
  if (aliasName.startsWith(RESERVED_ALIAS_PREFIX)) {
    throw new KmsError('InvalidParameter', `Aliases under ${RESERVED_ALIAS_PREFIX} are reserved for Keyward's own keys; choose another name.`);
  }
}
