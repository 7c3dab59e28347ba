import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyStore, OperationInput, OperationResult } from '../../../../shared/contract';
import type { KmsBridge } from '../../../../shared/bridge';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useBackupStatusStore } from '../../../../renderer/src/stores/backup-status';
import { useKeyStoresStore } from '../../../../renderer/src/stores/keystores';
import { useProgressStore } from '../../../../renderer/src/stores/progress';
import { fakeHost, stub } from '../support/fake-host';

type Delivery = { kind: 'download'; fileName: string } | { kind: 'saved'; path: string } | { kind: 'not-saved' };
type CreatedBackup = OperationResult<'CreateBackup'> & { delivery: Delivery };

/** What these tests use of the backup store (see the import below for why it is typed here). */
interface BackupStore {
  nativeDialogs: boolean;
  materialChecks: Record<string, OperationResult<'VerifyKeyStoreMaterial'>>;
  $state: unknown;
  create(request: OperationInput<'CreateBackup'>): Promise<CreatedBackup>;
  deliverAgain(created: CreatedBackup): Promise<CreatedBackup>;
  stage(file: null): Promise<unknown>;
  describe(fileId: string): Promise<OperationResult<'DescribeBackup'>>;
  verify(fileId: string, password: string): Promise<OperationResult<'VerifyBackup'>>;
  restore(fileId: string, password: string): Promise<OperationResult<'RestoreBackup'>>;
  updatePolicy(warnAfterDays: number): Promise<void>;
  checkMaterial(keyStoreId: string): Promise<OperationResult<'VerifyKeyStoreMaterial'>>;
}

/*
 * The store reaches renderer/src/api/files.ts, which uses window and document: tsconfig.node.json
 * (no DOM lib) cannot type-check it, so the module is loaded at run time only, not imported.
 */
const { useBackupStore } = await vi.importActual<{ useBackupStore: () => BackupStore }>('../../../../renderer/src/stores/backup');

/** The Electron window's bridge, as far as backups use it: a save dialog the test answers. */
function electronWindow(saved: boolean) {
  const savedIds: string[] = [];
  const kms = stub<KmsBridge>({
    saveFile: (backupId: string) => {
      savedIds.push(backupId);
      return Promise.resolve(saved ? { saved: true, path: `/media/usb/${backupId}.kwbak` } : { saved: false });
    },
    chooseFile: () => Promise.resolve(null),
  });
  vi.stubGlobal('window', { kms });
  return savedIds;
}

function backupHost() {
  let warnAfterDays = 30;
  let unchecked = ['ks-default'];
  return fakeHost({
    CreateBackup: (input) => {
      if (input.Password === 'wrong') throw new KmsClientError('Forbidden.BackupInProgress', 'another backup runs');
      return stub<OperationResult<'CreateBackup'>>({ BackupId: 'bk-1', FileName: 'keyward.kwbak', SizeBytes: 42 });
    },
    DescribeBackupStatus: () => stub<OperationResult<'DescribeBackupStatus'>>({ WarnAfterDays: warnAfterDays, Overdue: false, UncheckedKeyStoreIds: unchecked }),
    DescribeBackup: () => stub<OperationResult<'DescribeBackup'>>({ Verified: false, SizeBytes: 42 }),
    VerifyBackup: (input) => {
      if (input.Password !== 'backup-pass') throw new KmsClientError('IncorrectBackupPassword', 'wrong password');
      return stub<OperationResult<'VerifyBackup'>>({ Verified: true, SizeBytes: 42 });
    },
    RestoreBackup: () => stub<OperationResult<'RestoreBackup'>>({ KeyStores: [] }),
    DescribeKeyStores: () => ({ KeyStores: [stub<KeyStore>({ KeyStoreId: 'ks-default', KeyStoreType: 'DEFAULT', ConnectionState: 'DISCONNECTED' })] }),
    UpdateBackupPolicy: (input) => {
      warnAfterDays = input.WarnAfterDays;
      return { WarnAfterDays: input.WarnAfterDays };
    },
    VerifyKeyStoreMaterial: (input) => {
      unchecked = unchecked.filter((id) => id !== input.KeyStoreId);
      return { KeyStoreId: input.KeyStoreId, Checked: 3, Passed: 3, Problems: [] };
    },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the backup store', () => {
  it('creates a backup, hands it to the save dialog, reads the status again and keeps no password', async () => {
    const savedIds = electronWindow(true);
    const host = backupHost();
    const backup = useBackupStore();
    expect(backup.nativeDialogs).toBe(true);
    const created = await backup.create({ Password: 'backup-pass', IncludeDefaultKeyStore: true, Description: 'weekly' });
    expect(host.inputsOf('CreateBackup')).toEqual([{ Password: 'backup-pass', IncludeDefaultKeyStore: true, Description: 'weekly' }]);
    expect(savedIds).toEqual(['bk-1']);
    expect(created.delivery).toEqual({ kind: 'saved', path: '/media/usb/bk-1.kwbak' });
    expect(host.operations()).toEqual(['CreateBackup', 'DescribeBackupStatus']);
    expect(useBackupStatusStore().status?.WarnAfterDays).toBe(30);
    expect(JSON.stringify(backup.$state)).not.toContain('backup-pass');
  });

  it('offers the save dialog again after it was closed without saving', async () => {
    electronWindow(false);
    backupHost();
    const backup = useBackupStore();
    const created = await backup.create({ Password: 'backup-pass', IncludeDefaultKeyStore: false, Description: '' });
    expect(created.delivery).toEqual({ kind: 'not-saved' });
    electronWindow(true);
    expect((await backup.deliverAgain(created)).delivery).toEqual({ kind: 'saved', path: '/media/usb/bk-1.kwbak' });
  });

  it('forgets the progress of a refused backup and delivers nothing', async () => {
    const savedIds = electronWindow(true);
    const host = backupHost();
    const progress = useProgressStore();
    progress.start();
    const backup = useBackupStore();
    const creating = backup.create({ Password: 'wrong', IncludeDefaultKeyStore: true, Description: '' });
    host.progress({ requestId: 'r', operation: 'CreateBackup', fraction: 0.4, message: 'writing' });
    await expect(creating).rejects.toMatchObject({ Code: 'Forbidden.BackupInProgress' });
    expect(progress.of('CreateBackup')).toBeNull();
    expect(savedIds).toEqual([]);
    expect(host.operations()).toEqual(['CreateBackup']);
  });

  it('reads and verifies a staged file, propagating a wrong password', async () => {
    electronWindow(true);
    const host = backupHost();
    const backup = useBackupStore();
    expect((await backup.describe('file-1')).Verified).toBe(false);
    expect((await backup.verify('file-1', 'backup-pass')).Verified).toBe(true);
    await expect(backup.verify('file-1', 'nope')).rejects.toMatchObject({ Code: 'IncorrectBackupPassword' });
    expect(host.inputsOf('DescribeBackup')).toEqual([{ FileId: 'file-1' }]);
    expect(host.inputsOf('VerifyBackup')).toEqual([
      { FileId: 'file-1', Password: 'backup-pass' },
      { FileId: 'file-1', Password: 'nope' },
    ]);
    expect(await backup.stage(null)).toBeNull();
  });

  it('after a restore reads the backup status and the key stores again', async () => {
    electronWindow(true);
    const host = backupHost();
    await useBackupStore().restore('file-1', 'backup-pass');
    expect(host.inputsOf('RestoreBackup')).toEqual([{ FileId: 'file-1', Password: 'backup-pass' }]);
    expect([...host.operations()].sort()).toEqual(['DescribeBackupStatus', 'DescribeKeyStores', 'RestoreBackup']);
    expect(useKeyStoresStore().defaultStore?.ConnectionState).toBe('DISCONNECTED');
  });

  it('keeps the material check of each key store and the status it leaves, and sends the warning policy', async () => {
    electronWindow(true);
    const host = backupHost();
    const backup = useBackupStore();
    const result = await backup.checkMaterial('ks-default');
    expect(result).toMatchObject({ KeyStoreId: 'ks-default', Checked: 3, Passed: 3 });
    expect(Object.keys(backup.materialChecks)).toEqual(['ks-default']);
    expect(useBackupStatusStore().status?.UncheckedKeyStoreIds).toEqual([]);
    await backup.updatePolicy(14);
    expect(host.inputsOf('UpdateBackupPolicy')).toEqual([{ WarnAfterDays: 14 }]);
    expect(useBackupStatusStore().status?.WarnAfterDays).toBe(14);
  });
});
