/**
 * Disaster recovery for applications: a restored data directory keeps the instance CA (its key
 * is in the default store's token), the client keys and their sealed access key secrets, so an
 * application keeps its client key file and carries on against the restored instance.
 */
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, disposeTestCore } from '../../support/test-core';
import { createAccess, kmsClient } from '../endpoint/endpoint-fixture';

const BACKUP_PASSWORD = 'Backup-Pass-2026-long';

describe('backup and restore of application access', () => {
  it('an application decrypts, with the client key it was issued before the backup, through the restored endpoint', async () => {
    const source = await createInitializedTestCore();
    const target = await createTestCore();
    try {
      const keyId = (await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'app data' })).KeyMetadata.KeyId;
      const { clientKey, aapName } = await createAccess(source);
      const sourcePort = (await source.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
      const sealed = await kmsClient(sourcePort, clientKey).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('issued before the backup') }));
      const caBefore = (await source.call('GetInstanceCaCertificate', {})).CaCertificate;

      const backup = await source.call('CreateBackup', { Password: BACKUP_PASSWORD, Description: 'applications' });
      expect(backup.Manifest.Counts).toMatchObject({ AccessPoints: 1, ClientKeys: 1 });
      await source.call('StopApplicationEndpoint', {});
      const file = source.core.files.takeOutgoing(backup.BackupId);
      expect(file).not.toBeNull();

      await target.call('RestoreBackup', { FileId: target.core.files.registerIncoming(file!.path, false), Password: BACKUP_PASSWORD });
      // Nothing listens for applications until the officer starts the endpoint on this machine.
      expect((await target.call('DescribeApplicationEndpoint', {})).State).toBe('STOPPED');
      const defaultStore = (await target.call('DescribeKeyStores', {})).KeyStores.find((store) => store.KeyStoreType === 'DEFAULT')!;
      await target.call('ConnectKeyStore', { KeyStoreId: defaultStore.KeyStoreId, KeyStorePassword: CANARY_PASSWORD });
      expect((await target.call('GetInstanceCaCertificate', {})).CaCertificate).toBe(caBefore);
      expect((await target.call('ListClientKeys', { AapName: aapName })).ClientKeys.map((key) => key.ClientKeyId)).toEqual([clientKey.ClientKeyId]);

      const targetPort = (await target.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
      const opened = await kmsClient(targetPort, clientKey).send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
      expect(Buffer.from(opened.Plaintext!).toString()).toBe('issued before the backup');
    } finally {
      await disposeTestCore(target);
      await disposeTestCore(source);
    }
  }, 180_000);
});
