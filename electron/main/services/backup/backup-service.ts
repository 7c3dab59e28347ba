import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  BACKUP_FILE_EXTENSION,
  DEFAULT_BACKUP_WARN_AFTER_DAYS,
  type BackupManifest,
  type OperationResult,
  type ParsedInput,
} from '../../../../shared/contract';
import type { AuditTrail } from '../audit/audit-trail';
import type { FileExchange } from '../files/file-exchange';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { BACKUP_FORMAT_VERSION, writeBackupFile } from './backup-file';
import { DEFAULT_SCRYPT, deriveBackupKeys, newSalt, wipeBackupKeys, type ScryptParameters } from './backup-keys';
import { snapshotEntries, takeSnapshot, type TokenWriteHold } from './backup-snapshot';
import type { WriteGate } from './write-gate';

const WARN_AFTER_DAYS_KEY = 'backup.warn_after_days';
const DAY_MS = 86_400_000;

export interface BackupDeps {
  context: ServiceContext;
  audit: AuditTrail;
  files: FileExchange;
  gate: WriteGate;
  anchor: TokenWriteHold;
  /** Tests of many backups may lower the cost; the file records whatever was used. */
  scrypt?: ScryptParameters;
}

/** CreateBackup, the backup status of the header, and its warning policy. */
export class BackupService {
  constructor(private readonly deps: BackupDeps) {}

  async create(input: ParsedInput<'CreateBackup'>, request: RequestContext): Promise<OperationResult<'CreateBackup'>> {
    const { context, files, audit } = this.deps;
    const backupId = `bkp-${randomUUID()}`;
    const createdAt = isoNow(context);
    const snapshotDir = path.join(files.directory, `snap-${backupId}`);
    const fileName = `keyward-${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}${BACKUP_FILE_EXTENSION}`;
    const staged = files.stageOutgoing(backupId, fileName);
    const scrypt = this.deps.scrypt ?? DEFAULT_SCRYPT;
    const salt = newSalt();
    try {
      request.progress(0.02, 'Deriving the backup key from the password');
      const keys = await deriveBackupKeys(input.Password, salt, scrypt);
      try {
        request.progress(0.1, 'Taking a consistent snapshot');
        const snapshot = await takeSnapshot(context, {
          dir: snapshotDir,
          includeDefaultKeyStore: input.IncludeDefaultKeyStore,
          gate: this.deps.gate,
          anchor: this.deps.anchor,
          onProgress: (fraction) => request.progress(0.1 + fraction * 0.3, 'Copying the registry'),
        });
        const { summary } = snapshot;
        const manifest: BackupManifest = {
          FormatVersion: BACKUP_FORMAT_VERSION,
          BackupId: backupId,
          CreatedAt: createdAt.replace(/\.\d{3}Z$/, 'Z'),
          Description: input.Description,
          SchemaVersion: summary.schemaVersion,
          IncludesDefaultKeyStore: input.IncludeDefaultKeyStore,
          Counts: {
            KeyStores: summary.counts.keyStores,
            Keys: summary.counts.keys,
            KeyVersions: summary.counts.keyVersions,
            Aliases: summary.counts.aliases,
            Secrets: summary.counts.secrets,
            SecretVersions: summary.counts.secretVersions,
            Clusters: summary.counts.clusters,
            AccessPoints: summary.counts.accessPoints,
            ClientKeys: summary.counts.clientKeys,
            AuditRecords: summary.auditHead.sequence,
          },
          KeyStoreIds: summary.keyStoreIds,
          AuditHead: { Sequence: summary.auditHead.sequence, Hash: summary.auditHead.hash },
          Files: snapshot.files.map(({ name, size }) => ({ Name: name, Size: size })),
          Kdf: { Algorithm: 'scrypt', N: scrypt.N, R: scrypt.R, P: scrypt.P },
          Cipher: 'AES-256-GCM',
          Signature: 'HMAC-SHA256',
        };
        request.progress(0.45, 'Encrypting the backup');
        const sizeBytes = await writeBackupFile(staged.tempPath, { manifest, keys, salt, entries: snapshotEntries(snapshot) });
        const delivered = staged.commit();
        request.progress(0.95, 'Recording the backup');
        audit.recordChange(
          request,
          {
            operation: 'CreateBackup',
            resourceId: backupId,
            details: { IncludesDefaultKeyStore: input.IncludeDefaultKeyStore, SizeBytes: sizeBytes, AuditHeadSequence: summary.auditHead.sequence, Keys: summary.counts.keys },
          },
          () =>
            context.registry.backups.insert({
              backupId,
              kind: 'CREATED',
              createdAt: manifest.CreatedAt,
              recordedAt: createdAt,
              description: input.Description,
              includesDefault: input.IncludeDefaultKeyStore,
              sizeBytes,
              manifest: JSON.stringify(manifest),
            }),
        );
        return { BackupId: backupId, FileName: delivered.fileName, SizeBytes: sizeBytes, Manifest: manifest };
      } finally {
        wipeBackupKeys(keys);
      }
    } catch (error) {
      staged.discard();
      throw error;
    } finally {
      await rm(snapshotDir, { recursive: true, force: true });
    }
  }

  status(): OperationResult<'DescribeBackupStatus'> {
    const { registry } = this.deps.context;
    const warnAfterDays = this.warnAfterDays();
    const last = registry.backups.latest('CREATED');
    const restored = registry.backups.latest('RESTORED');
    const ageMs = last ? this.deps.context.now().getTime() - Date.parse(last.createdAt) : Number.POSITIVE_INFINITY;
    return {
      LastBackup: last
        ? { BackupId: last.backupId, CreatedAt: last.createdAt, Description: last.description, IncludesDefaultKeyStore: last.includesDefault, SizeBytes: last.sizeBytes }
        : null,
      WarnAfterDays: warnAfterDays,
      Overdue: ageMs > warnAfterDays * DAY_MS,
      RestoredFrom: restored ? { BackupId: restored.backupId, BackupCreatedAt: restored.createdAt, RestoredAt: restored.recordedAt.replace(/\.\d{3}Z$/, 'Z') } : null,
      UncheckedKeyStoreIds: registry.backups.uncheckedKeyStores(),
    };
  }

  updatePolicy(input: ParsedInput<'UpdateBackupPolicy'>, request: RequestContext): OperationResult<'UpdateBackupPolicy'> {
    const { registry } = this.deps.context;
    this.deps.audit.recordChange(request, { operation: 'UpdateBackupPolicy', resourceId: 'backup', details: { WarnAfterDays: input.WarnAfterDays } }, () =>
      registry.meta.set(WARN_AFTER_DAYS_KEY, String(input.WarnAfterDays)),
    );
    return { WarnAfterDays: input.WarnAfterDays };
  }

  private warnAfterDays(): number {
    const stored = Number(this.deps.context.registry.meta.get(WARN_AFTER_DAYS_KEY));
    return Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_BACKUP_WARN_AFTER_DAYS;
  }
}
