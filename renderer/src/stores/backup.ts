import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationInput, OperationName, OperationResult } from '../../../shared/contract';
import { invoke } from '../api/client';
import { chooseFileNatively, deliverMadeFile, hasNativeFileDialogs, uploadFile, type Delivery, type StagedFile } from '../api/files';
import { useBackupStatusStore } from './backup-status';
import { useKeyStoresStore } from './keystores';
import { useProgressStore } from './progress';
import { rereadAfterChange } from './reread';

export type CreateBackupRequest = OperationInput<'CreateBackup'>;
export type CreatedBackup = OperationResult<'CreateBackup'> & { delivery: Delivery };
export type DescribedBackup = OperationResult<'DescribeBackup'>;
export type VerifiedBackup = OperationResult<'VerifyBackup'>;
export type RestoredBackup = OperationResult<'RestoreBackup'>;
export type MaterialCheck = OperationResult<'VerifyKeyStoreMaterial'>;
export type { Delivery, StagedFile };

/**
 * Backups: create and hand over the file, read and verify a file, restore one into an empty data
 * directory, and check the key material afterwards. Backup passwords pass through the actions'
 * arguments into the call and are never kept here.
 */
export const useBackupStore = defineStore('backup', () => {
  const status = useBackupStatusStore();
  /** The last VerifyKeyStoreMaterial result per key store, shown after the store leaves the unchecked list. */
  const materialChecks = ref<Record<string, MaterialCheck>>({});

  /** Runs a long operation whose progress the dialogs show, and forgets that progress afterwards. */
  async function withProgress<T>(operation: OperationName, work: () => Promise<T>): Promise<T> {
    const progress = useProgressStore();
    progress.clear(operation);
    try {
      return await work();
    } finally {
      progress.clear(operation);
    }
  }

  async function create(request: CreateBackupRequest): Promise<CreatedBackup> {
    const created = await withProgress('CreateBackup', () => invoke('CreateBackup', request));
    const delivery = await deliverMadeFile(created.BackupId, created.FileName);
    await rereadAfterChange(status.refresh());
    return { ...created, delivery };
  }

  /** Electron: the save dialog again, after it was closed without saving (the made file still waits). */
  async function deliverAgain(created: CreatedBackup): Promise<CreatedBackup> {
    return { ...created, delivery: await deliverMadeFile(created.BackupId, created.FileName) };
  }

  /** Electron's open dialog (null: cancelled); the browser uploads the file the officer picked. */
  async function stage(file: File | null): Promise<StagedFile | null> {
    if (file) return uploadFile(file);
    return chooseFileNatively();
  }

  async function describe(fileId: string): Promise<DescribedBackup> {
    return invoke('DescribeBackup', { FileId: fileId });
  }

  async function verify(fileId: string, password: string): Promise<VerifiedBackup> {
    return withProgress('VerifyBackup', () => invoke('VerifyBackup', { FileId: fileId, Password: password }));
  }

  /** The core reopens on the restored files; the console then shows their (locked) default key store. */
  async function restore(fileId: string, password: string): Promise<RestoredBackup> {
    const restored = await withProgress('RestoreBackup', () => invoke('RestoreBackup', { FileId: fileId, Password: password }));
    await rereadAfterChange(status.refresh(), useKeyStoresStore().refresh());
    return restored;
  }

  async function updatePolicy(warnAfterDays: number): Promise<void> {
    await invoke('UpdateBackupPolicy', { WarnAfterDays: warnAfterDays });
    await rereadAfterChange(status.refresh());
  }

  async function checkMaterial(keyStoreId: string): Promise<MaterialCheck> {
    const result = await withProgress('VerifyKeyStoreMaterial', () => invoke('VerifyKeyStoreMaterial', { KeyStoreId: keyStoreId }));
    materialChecks.value = { ...materialChecks.value, [keyStoreId]: result };
    await rereadAfterChange(status.refresh());
    return result;
  }

  return { nativeDialogs: hasNativeFileDialogs(), materialChecks, create, deliverAgain, stage, describe, verify, restore, updatePolicy, checkMaterial };
});
