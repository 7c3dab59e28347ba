import { defineStore } from 'pinia';
import type { OperationInput, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';
import type { StageMove } from '../lib/secret-versions';
import { useSecretDetailStore } from './secret-detail';
import { rereadAfterChange } from './reread';

export type PutValueRequest = OperationInput<'PutSecretValue'>;
export type DeletionChoice = { force: true } | { force: false; days: number };

/**
 * Changes to one secret (its page's actions). Each re-reads the secret afterwards, so the page
 * shows what the host recorded, not what the console expected.
 */
export const useSecretChangesStore = defineStore('secretChanges', () => {
  const detail = useSecretDetailStore();

  async function afterwards<T>(change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      await rereadAfterChange(detail.refresh());
    }
  }

  /** The request carries the new value: it passes through, nothing here keeps it. */
  async function putValue(request: PutValueRequest): Promise<OperationOutput<'PutSecretValue'>> {
    return afterwards(invoke('PutSecretValue', request));
  }

  async function moveStage(name: string, move: StageMove): Promise<void> {
    await afterwards(invoke('UpdateSecretVersionStage', { SecretName: name, ...move }));
  }

  async function detachStage(name: string, stage: string, versionId: string): Promise<void> {
    await afterwards(invoke('UpdateSecretVersionStage', { SecretName: name, VersionStage: stage, RemoveFromVersion: versionId }));
  }

  async function updateDescription(name: string, description: string): Promise<void> {
    await afterwards(invoke('UpdateSecret', { SecretName: name, Description: description }));
  }

  async function changeCmk(name: string, keyId: string): Promise<void> {
    await afterwards(invoke('UpdateSecret', { SecretName: name, EncryptionKeyId: keyId }));
  }

  /** A forced deletion leaves nothing to re-read; a refused one does. */
  async function remove(name: string, choice: DeletionChoice): Promise<OperationOutput<'DeleteSecret'>> {
    if (choice.force) {
      try {
        const output = await invoke('DeleteSecret', { SecretName: name, ForceDeleteWithoutRecovery: true });
        detail.clear();
        return output;
      } catch (error) {
        await rereadAfterChange(detail.refresh());
        throw error;
      }
    }
    return afterwards(invoke('DeleteSecret', { SecretName: name, RecoveryWindowInDays: choice.days }));
  }

  async function restore(name: string): Promise<void> {
    await afterwards(invoke('RestoreSecret', { SecretName: name }));
  }

  async function tag(name: string, tagKey: string, tagValue: string): Promise<void> {
    await invoke('TagResource', { SecretName: name, Tags: [{ TagKey: tagKey, TagValue: tagValue }] });
    await detail.loadTags();
  }

  async function untag(name: string, tagKey: string): Promise<void> {
    await invoke('UntagResource', { SecretName: name, TagKeys: [tagKey] });
    await detail.loadTags();
  }

  return { putValue, moveStage, detachStage, updateDescription, changeCmk, remove, restore, tag, untag };
});
