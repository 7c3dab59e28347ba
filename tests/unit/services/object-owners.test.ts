import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TokenObjectInfo } from '../../../electron/main/hsm';
import type { StoredKeyVersionRow } from '../../../electron/main/registry';
import {
  DOMAIN_KEY_LABEL,
  DOMAIN_KEY_OBJECT_ID,
  importKeyLabel,
  keyObjectLabel,
  OWNER_KEY_OBJECT_ID,
  transportKeyLabel,
  transportKeyObjectId,
} from '../../../electron/main/services/clusters/cluster-objects';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { AUDIT_SIGNING_KEY_ID, AUDIT_SIGNING_LABEL } from '../../../electron/main/services/audit/audit-signing-ids';
import { classifyObjectGroup, expectsMaterial, holdsVersion, infrastructureObjectIds, type RegistryView } from '../../../electron/main/services/reconcile/object-owners';

const hsmId = `hsm-${randomUUID()}`;
const keyId = randomUUID();
const registeredVersion = randomUUID();
const deletedVersion = randomUUID();
const liveImport = objectIdOfVersion(randomUUID());
const inCreation = objectIdOfVersion(randomUUID());

function version(id: string, patch: Partial<StoredKeyVersionRow> = {}): StoredKeyVersionRow {
  return { id, keyId, objectId: objectIdOfVersion(id), createdAt: '2026-01-01T00:00:00.000Z', keySpec: 'Aliyun_AES_256', keyState: 'Enabled', keyDeleted: false, ...patch };
}

const view: RegistryView = {
  versionsByObjectId: new Map([
    [objectIdOfVersion(registeredVersion), version(registeredVersion)],
    [objectIdOfVersion(deletedVersion), version(deletedVersion, { keyDeleted: true })],
  ]),
  liveImportObjectIds: new Set([liveImport]),
  infrastructureObjectIds: infrastructureObjectIds([hsmId]),
  inCreation: (objectId) => objectId === inCreation,
};

const secret = (label: string): TokenObjectInfo[] => [{ objectId: '', objectClass: 'SECRET_KEY', label }];
const pair = (label: string): TokenObjectInfo[] => [
  { objectId: '', objectClass: 'PRIVATE_KEY', label },
  { objectId: '', objectClass: 'PUBLIC_KEY', label },
];

describe('reconciliation: whose is an object', () => {
  it('never calls cluster infrastructure an orphan, by id or by label', () => {
    expect(classifyObjectGroup(DOMAIN_KEY_OBJECT_ID, secret(DOMAIN_KEY_LABEL), view).kind).toBe('INFRASTRUCTURE');
    expect(classifyObjectGroup(OWNER_KEY_OBJECT_ID, pair('renamed-owner'), view).kind).toBe('INFRASTRUCTURE');
    expect(classifyObjectGroup(transportKeyObjectId(hsmId), pair(transportKeyLabel(hsmId)), view).kind).toBe('INFRASTRUCTURE');
    // A transport key of a member deleted since (no longer in the registry) is still recognized by its label.
    const gone = `hsm-${randomUUID()}`;
    expect(classifyObjectGroup(transportKeyObjectId(gone), pair(transportKeyLabel(gone)), view).kind).toBe('INFRASTRUCTURE');
    // The audit signing key pair in the default key store's token.
    expect(classifyObjectGroup(AUDIT_SIGNING_KEY_ID, pair(AUDIT_SIGNING_LABEL), view).kind).toBe('INFRASTRUCTURE');
  });

  it('keeps registered versions, live import keys and material being created', () => {
    const id = objectIdOfVersion(registeredVersion);
    expect(classifyObjectGroup(id, secret('any label at all'), view).kind).toBe('REGISTERED');
    expect(classifyObjectGroup(liveImport, pair(importKeyLabel(keyId)), view).kind).toBe('REGISTERED');
    expect(classifyObjectGroup(inCreation, secret(keyObjectLabel(keyId, `${inCreation.slice(0, 8)}-x`)), view).kind).toBe('REGISTERED');
  });

  it('calls an unregistered Keyward version or import key pair an orphan, with the reason', () => {
    const orphanVersion = randomUUID();
    const owner = classifyObjectGroup(objectIdOfVersion(orphanVersion), secret(keyObjectLabel(randomUUID(), orphanVersion)), view);
    expect(owner).toMatchObject({ kind: 'ORPHAN', orphanKind: 'KEY_VERSION' });
    const imported = classifyObjectGroup(objectIdOfVersion(randomUUID()), pair(importKeyLabel(randomUUID())), view);
    expect(imported).toMatchObject({ kind: 'ORPHAN', orphanKind: 'IMPORT_WRAPPING_KEY' });
    const deleted = classifyObjectGroup(objectIdOfVersion(deletedVersion), secret(keyObjectLabel(keyId, deletedVersion)), view);
    expect(deleted).toMatchObject({ kind: 'ORPHAN', orphanKind: 'KEY_VERSION' });
    expect(deleted.kind === 'ORPHAN' && deleted.reason).toContain(keyId);
  });

  it('leaves anything off the scheme alone: foreign labels, mismatched label and id, mixed groups, odd ids', () => {
    const orphanVersion = randomUUID();
    const id = objectIdOfVersion(orphanVersion);
    expect(classifyObjectGroup(id, secret('payments-team-key'), view).kind).toBe('FOREIGN');
    expect(classifyObjectGroup(id, secret(keyObjectLabel(keyId, randomUUID())), view).kind).toBe('FOREIGN');
    expect(classifyObjectGroup(id, [...secret(keyObjectLabel(keyId, orphanVersion)), ...secret('someone-else')], view).kind).toBe('FOREIGN');
    expect(classifyObjectGroup(`${id}00`, secret(keyObjectLabel(keyId, orphanVersion)), view).kind).toBe('FOREIGN');
    expect(classifyObjectGroup('', [{ objectId: '', objectClass: 'OTHER', label: '' }], view).kind).toBe('FOREIGN');
  });

  it('expects material only for live versions and counts a public key alone as missing', () => {
    expect(expectsMaterial(version(registeredVersion))).toBe(true);
    expect(expectsMaterial(version(registeredVersion, { keyState: 'PendingImport' }))).toBe(false);
    expect(expectsMaterial(version(registeredVersion, { keyDeleted: true }))).toBe(false);
    expect(holdsVersion(secret('x'))).toBe(true);
    expect(holdsVersion(pair('x'))).toBe(true);
    expect(holdsVersion([{ objectId: '', objectClass: 'PUBLIC_KEY', label: 'x' }])).toBe(false);
    expect(holdsVersion(undefined)).toBe(false);
  });
});
