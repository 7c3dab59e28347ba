import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { openRegistry, type Registry } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { FileExchange } from '../files/file-exchange';
import { DEFAULT_KEY_STORE_ID, defaultKeyStorePaths } from '../keystores/default-key-store';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { openBackupFile, type OpenedBackup } from './backup-file';
import type { PayloadFileWriter, PayloadSink } from './backup-frames';
import { deriveBackupKeys, expectManifestSignature, expectPasswordCheck, wipeBackupKeys } from './backup-keys';
import { applyRestoreStaging, commitRestoreStaging, discardRestoreStaging, prepareRestoreStaging, restoreStagingDir } from './restore-staging';
import type { WriteGate } from './write-gate';

/** Closes the core, runs `apply` with nothing open on the data directory, and opens it again. */
export type CoreRestart = (apply: () => void) => Promise<void>;

export interface RestoreDeps {
  context: ServiceContext;
  audit: AuditTrail;
  files: FileExchange;
  gate: WriteGate;
  restart: CoreRestart;
}

const NOWHERE: PayloadSink = { open: () => Promise.resolve({ write: () => Promise.resolve(), close: () => Promise.resolve() }) };

/** DescribeBackup, VerifyBackup and RestoreBackup. */
export class RestoreService {
  constructor(private readonly deps: RestoreDeps) {}

  async describe(input: ParsedInput<'DescribeBackup'>): Promise<OperationResult<'DescribeBackup'>> {
    const opened = await this.open(input.FileId);
    return { Manifest: opened.manifest, Verified: false, SizeBytes: opened.sizeBytes };
  }

  async verify(input: ParsedInput<'VerifyBackup'>, request: RequestContext): Promise<OperationResult<'VerifyBackup'>> {
    const opened = await this.open(input.FileId);
    await this.readChecked(opened, input.Password, NOWHERE, request);
    return { Manifest: opened.manifest, Verified: true, SizeBytes: opened.sizeBytes };
  }

  async restore(input: ParsedInput<'RestoreBackup'>, request: RequestContext): Promise<OperationResult<'RestoreBackup'>> {
    const { context, gate } = this.deps;
    const result = await gate.exclusive(async () => {
      this.expectEmptyDataDir();
      const opened = await this.open(input.FileId);
      prepareRestoreStaging(context.dataDir);
      try {
        await this.readChecked(opened, input.Password, stagingSink(restoreStagingDir(context.dataDir)), request);
        request.progress(0.85, 'Recording the restore in the restored audit log');
        const keyStores = this.recordRestore(path.join(restoreStagingDir(context.dataDir), 'registry.sqlite'), opened, request);
        // Checked again right before the commit: nothing may have been set up meanwhile.
        this.expectEmptyDataDir();
        commitRestoreStaging(context.dataDir);
        gate.seal();
        return { Manifest: opened.manifest, KeyStores: keyStores };
      } catch (error) {
        discardRestoreStaging(context.dataDir);
        throw error;
      }
    });
    // Outside the gate: closing the core waits for a maintenance round, which the sealed gate refuses.
    request.progress(0.95, 'Reopening the data directory');
    await this.deps.restart(() => void applyRestoreStaging(context.dataDir));
    return result;
  }

  private async open(fileId: string): Promise<OpenedBackup> {
    const opened = await openBackupFile(this.deps.files.resolveIncoming(fileId));
    // The live registry has run every migration this build knows.
    const newest = this.deps.context.registry.schemaVersion;
    if (opened.manifest.SchemaVersion > newest) {
      throw new KmsError(
        'InvalidBackup.NewerSchema',
        `This backup holds registry schema ${opened.manifest.SchemaVersion}; this Keyward knows up to ${newest}. Restore it with a newer Keyward.`,
      );
    }
    return opened;
  }

  /** Password check, manifest signature, then every payload byte through `sink` (GCM-authenticated). */
  private async readChecked(opened: OpenedBackup, password: string, sink: PayloadSink, request: RequestContext): Promise<void> {
    request.progress(0.05, 'Deriving the backup key from the password');
    const kdf = opened.manifest.Kdf;
    const keys = await deriveBackupKeys(password, opened.salt, { N: kdf.N, R: kdf.R, P: kdf.P });
    try {
      expectPasswordCheck(keys, opened.passwordCheck);
      expectManifestSignature(keys, opened.manifestJson, opened.signature);
      request.progress(0.2, 'Decrypting and checking the contents');
      await opened.read(keys, sink);
    } finally {
      wipeBackupKeys(keys);
    }
  }

  /**
   * Nothing to lose: no keys, secrets, clusters or modules in the registry, and the default key
   * store never given a password (no token in its directory).
   */
  private expectEmptyDataDir(): void {
    const { registry, dataDir } = this.deps.context;
    const counts = registry.backups.counts();
    const defaultStore = registry.keyStores.getDefault();
    const { tokenDir } = defaultKeyStorePaths(dataDir);
    const tokens = existsSync(tokenDir) ? readdirSync(tokenDir) : [];
    const held = [
      counts.keys > 0 && `${counts.keys} keys`,
      counts.secrets > 0 && `${counts.secrets} secrets`,
      counts.clusters > 0 && `${counts.clusters} clusters`,
      // The embedded SoftHSM2 module is registered by every start.
      counts.modules > 1 && `${counts.modules - 1} registered modules`,
      counts.keyStores > 1 && `${counts.keyStores - 1} key stores besides the default one`,
      (defaultStore?.initialized === true || tokens.length > 0) && 'an initialized default key store',
    ].filter((item): item is string => typeof item === 'string');
    if (held.length > 0) {
      throw new KmsError(
        'Forbidden.DataDirNotEmpty',
        `A backup is restored only into an empty data directory; this one holds ${held.join(', ')}. Start Keyward on a new data directory to restore.`,
      );
    }
  }

  /** Writes the restore's records into the restored registry (migrated first when it is older). */
  private recordRestore(file: string, opened: OpenedBackup, request: RequestContext): OperationResult<'RestoreBackup'>['KeyStores'] {
    const { manifest } = opened;
    const restored: Registry = openRegistry({ file });
    try {
      const at = isoNow(this.deps.context);
      return restored.transaction(() => {
        restored.backups.insert({
          backupId: manifest.BackupId,
          kind: 'CREATED',
          createdAt: manifest.CreatedAt,
          recordedAt: manifest.CreatedAt,
          description: manifest.Description,
          includesDefault: manifest.IncludesDefaultKeyStore,
          sizeBytes: opened.sizeBytes,
          manifest: opened.manifestJson,
        });
        restored.backups.insert({
          backupId: manifest.BackupId,
          kind: 'RESTORED',
          createdAt: manifest.CreatedAt,
          recordedAt: at,
          description: manifest.Description,
          includesDefault: manifest.IncludesDefaultKeyStore,
          sizeBytes: opened.sizeBytes,
          manifest: opened.manifestJson,
        });
        if (!manifest.IncludesDefaultKeyStore) {
          // Its token was left out: the default store starts over (first run) and its keys report MISSING.
          restored.keyStores.update(DEFAULT_KEY_STORE_ID, { initialized: false, tokenSerial: null }, at);
        }
        const stores = restored.keyStores.list();
        const keysByStore = restored.keyStores.countKeysByStore();
        restored.backups.markUnchecked(stores.map((store) => store.id));
        this.deps.audit.appendTo(restored, request, {
          operation: 'RestoreBackup',
          resourceId: manifest.BackupId,
          details: { BackupCreatedAt: manifest.CreatedAt, BackupAuditHeadSequence: manifest.AuditHead.Sequence, Keys: manifest.Counts.Keys, IncludesDefaultKeyStore: manifest.IncludesDefaultKeyStore },
        });
        return stores.map((store) => ({
          KeyStoreId: store.id,
          KeyStoreName: store.name,
          KeyStoreType: store.type,
          Keys: keysByStore.get(store.id) ?? 0,
          Material: store.type !== 'DEFAULT' ? 'IN_HSM_CLUSTER' : manifest.IncludesDefaultKeyStore ? 'RESTORED_TOKEN' : 'NOT_IN_BACKUP',
        }));
      });
    } finally {
      restored.close();
    }
  }
}

/** Writes the payload's files under the staging directory, private from birth. */
function stagingSink(staging: string): PayloadSink {
  return {
    async open(name): Promise<PayloadFileWriter> {
      const target = path.join(staging, ...name.split('/'));
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
      return {
        write: (chunk) =>
          new Promise<void>((resolve, reject) => {
            out.write(chunk, (error) => (error ? reject(error) : resolve()));
          }),
        close: () =>
          new Promise<void>((resolve, reject) => {
            out.once('error', reject);
            out.end(() => resolve());
          }),
      };
    },
  };
}
