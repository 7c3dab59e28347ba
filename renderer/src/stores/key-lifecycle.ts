import { defineStore } from 'pinia';
import type { KeyMetadata, WrappingAlgorithm } from '../../../shared/contract';

export type { WrappingAlgorithm };
import { invoke } from '../api/client';
import { KmsClientError } from '../api/errors';
import { t } from '../i18n';
import '../i18n/areas/keyDetail';
import { base64ToBytes } from '../lib/encoding';
import type { KeyTransition } from '../lib/key-options';
import { useKeyDetailStore } from './key-detail';
import { rereadAfterChange } from './reread';

export interface ImportParameters {
  ImportToken: string;
  /** base64 DER SubjectPublicKeyInfo of the HSM's wrapping key. */
  PublicKey: string;
  TokenExpireTime: string;
  WrappingAlgorithm: WrappingAlgorithm;
}


/**
 * State changes of one key (the key page's actions). Each one re-reads the key afterwards, so the
 * page shows what the host recorded, not what the console expected.
 */
export const useKeyLifecycleStore = defineStore('keyLifecycle', () => {
  const detail = useKeyDetailStore();

  async function transition(key: KeyMetadata, action: Exclude<KeyTransition, 'import-material'>, pendingDays?: number): Promise<void> {
    const KeyId = key.KeyId;
    try {
      if (action === 'enable') await invoke('EnableKey', { KeyId });
      else if (action === 'disable') await invoke('DisableKey', { KeyId });
      else if (action === 'cancel-deletion') await invoke('CancelKeyDeletion', { KeyId });
      else if (action === 'delete-material') await invoke('DeleteKeyMaterial', { KeyId });
      else await invoke('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: pendingDays ?? 30 });
    } finally {
      await rereadAfterChange(detail.refresh());
    }
  }

  async function createVersion(keyId: string): Promise<void> {
    await invoke('CreateKeyVersion', { KeyId: keyId });
    await rereadAfterChange(detail.refresh(), detail.loadVersions());
  }

  async function updateRotation(keyId: string, enabled: boolean, interval: string | undefined): Promise<void> {
    await invoke('UpdateRotationPolicy', { KeyId: keyId, EnableAutomaticRotation: enabled, RotationInterval: interval });
    await rereadAfterChange(detail.refresh());
  }

  async function addAlias(keyId: string, aliasName: string): Promise<void> {
    await invoke('CreateAlias', { AliasName: aliasName, KeyId: keyId });
    await rereadAfterChange(detail.loadAliases());
  }

  async function deleteAlias(aliasName: string): Promise<void> {
    await invoke('DeleteAlias', { AliasName: aliasName });
    await rereadAfterChange(detail.loadAliases());
  }

  async function tag(keyId: string, tagKey: string, tagValue: string): Promise<void> {
    await invoke('TagResource', { KeyId: keyId, Tags: [{ TagKey: tagKey, TagValue: tagValue }] });
    await rereadAfterChange(detail.loadTags());
  }

  async function untag(keyId: string, tagKey: string): Promise<void> {
    await invoke('UntagResource', { KeyId: keyId, TagKeys: [tagKey] });
    await rereadAfterChange(detail.loadTags());
  }

  async function importParameters(keyId: string, algorithm: WrappingAlgorithm): Promise<ImportParameters> {
    const output = await invoke('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' });
    return { ImportToken: output.ImportToken, PublicKey: output.PublicKey, TokenExpireTime: output.TokenExpireTime, WrappingAlgorithm: algorithm };
  }

  /** `expireUnix`: seconds since the epoch after which the material is deleted; undefined for never. */
  async function importMaterial(keyId: string, parameters: ImportParameters, encryptedMaterial: string, expireUnix?: number): Promise<void> {
    const compact = encryptedMaterial.replace(/\s+/g, '');
    try {
      base64ToBytes(compact);
    } catch {
      throw new KmsClientError('InvalidParameter', t('keyDetail.import.notBase64'));
    }
    try {
      await invoke('ImportKeyMaterial', {
        KeyId: keyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: compact,
        KeyMaterialExpireUnix: expireUnix,
      });
    } finally {
      await rereadAfterChange(detail.refresh());
    }
  }

  return { transition, createVersion, updateRotation, addAlias, deleteAlias, tag, untag, importParameters, importMaterial };
});
