/**
 * P8: backup and restore of a registry with 100,000 keys and 200,000 audit records. Times against
 * a plain copy of the same files (the floor any backup pays), bytes per key, and Encrypt
 * throughput while the backup runs against the same throughput just before it.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/main/app/core';
import type { Core } from '../../electron/main/app/core-types';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { openRegistry } from '../../electron/main/registry';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';
import { BENCH_PASSWORD, startBenchCore } from '../lib/bench-core';
import { type Benchmark, type BenchResult, round } from '../lib/result';
import { benchKeyRow } from '../lib/seed';
import { opsPerSecondAsync } from '../lib/stats';

const KEYS = 100_000;
const AUDIT_RECORDS = 200_000;
const BACKUP_PASSWORD = 'Bench-backup-passphrase-8';
const WINDOW = 32;
const DURING_GOAL = 0.5;

export const p8Backup: Benchmark = {
  id: 'P8',
  title: `backup and restore with ${KEYS.toLocaleString('en')} keys and ${AUDIT_RECORDS.toLocaleString('en')} audit records`,
  async run(options) {
    const keys = options.quick ? KEYS / 10 : KEYS;
    const records = options.quick ? AUDIT_RECORDS / 10 : AUDIT_RECORDS;
    const bench = await startBenchCore();
    const dataDir = bench.dataDir;
    const restoreDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-p8-restore-'));
    const copyDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-p8-copy-'));
    let core: Core | null = null;
    let restored: Core | null = null;
    try {
      const aes = await bench.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'P8' });
      await bench.core.close();
      options.log(`seeding ${keys.toLocaleString('en')} key rows and ${records.toLocaleString('en')} audit records`);
      seedRegistry(path.join(dataDir, 'registry.sqlite'), keys, records);
      core = await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'bench' });
      const call = caller(core);
      const store = (await call('DescribeKeyStores', {})).KeyStores.find((candidate) => candidate.KeyStoreType === 'DEFAULT')!;
      await call('ConnectKeyStore', { KeyStoreId: store.KeyStoreId, KeyStorePassword: BENCH_PASSWORD });
      const encrypt = async (): Promise<void> => {
        await call('Encrypt', { KeyId: aes.KeyMetadata.KeyId, Plaintext: Buffer.alloc(1024, 7).toString('base64') });
      };

      const before = await opsPerSecondAsync(3000, WINDOW, encrypt);
      let backupDone = false;
      const backupStarted = performance.now();
      const backupRun = call('CreateBackup', { Password: BACKUP_PASSWORD, Description: 'P8' }).finally(() => (backupDone = true));
      let duringOps = 0;
      const duringStarted = performance.now();
      await Promise.all(
        Array.from({ length: WINDOW }, async () => {
          while (!backupDone) {
            await encrypt();
            duringOps += 1;
          }
        }),
      );
      const backup = await backupRun;
      const backupMs = performance.now() - backupStarted;
      const during = (duringOps * 1000) / (performance.now() - duringStarted);
      const file = core.files.takeOutgoing(backup.BackupId)!;

      // The floor: copying the same registry and token files, nothing else.
      const copyStarted = performance.now();
      for (const entry of backup.Manifest.Files) copyIfPresent(sourceOf(dataDir, entry.Name), path.join(copyDir, randomUUID()));
      const copyMs = performance.now() - copyStarted;
      const rawBytes = backup.Manifest.Files.reduce((sum, entry) => sum + entry.Size, 0);

      restored = await createCore({ dataDir: restoreDir, launcher: createNodeWorkerLauncher(), actor: 'bench' });
      const fileId = restored.files.registerIncoming(file.path, false);
      const restoreStarted = performance.now();
      const outcome = await restored.dispatch('RestoreBackup', { FileId: fileId, Password: BACKUP_PASSWORD }, { transport: 'internal' });
      const restoreMs = performance.now() - restoreStarted;
      if (!outcome.ok) throw new Error(`RestoreBackup: ${outcome.error.Code} ${outcome.error.Message}`);

      options.log(`backup ${(backupMs / 1000).toFixed(1)} s, ${(backup.SizeBytes / 1e6).toFixed(1)} MB (${(rawBytes / 1e6).toFixed(1)} MB of files); copy ${(copyMs / 1000).toFixed(2)} s; restore ${(restoreMs / 1000).toFixed(1)} s`);
      options.log(`Encrypt ${before.toFixed(0)} ops/s before, ${during.toFixed(0)} ops/s during the backup`);
      const scale = `${keys.toLocaleString('en')} keys, ${records.toLocaleString('en')} audit records`;
      return [
        { name: `P8 CreateBackup (${scale})`, keyward: round(backupMs / 1000, 2), baseline: round(copyMs / 1000, 3), unit: 's', ratio: round(copyMs / backupMs), goal: '< 60 s', met: backupMs < 60_000, note: 'baseline: copying the same files' },
        { name: `P8 RestoreBackup (${scale})`, keyward: round(restoreMs / 1000, 2), baseline: round(copyMs / 1000, 3), unit: 's', ratio: round(copyMs / restoreMs), goal: '< 60 s', met: restoreMs < 60_000, note: 'baseline: copying the same files' },
        { name: 'P8 backup size per key', keyward: round(backup.SizeBytes / keys, 1), baseline: round(rawBytes / keys, 1), unit: 'bytes/key', ratio: round(rawBytes / backup.SizeBytes), goal: 'smaller than the files it holds', met: backup.SizeBytes < rawBytes },
        { name: 'P8 Encrypt during CreateBackup', keyward: round(during, 0), baseline: round(before, 0), unit: 'ops/s', ratio: round(during / before), goal: `>= ${DURING_GOAL} of before`, met: during / before >= DURING_GOAL },
      ] satisfies BenchResult[];
    } finally {
      await restored?.close();
      await core?.close();
      for (const dir of [dataDir, restoreDir, copyDir]) rmSync(dir, { recursive: true, force: true });
    }
  },
};

function caller(core: Core) {
  return async <N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> => {
    const outcome = await core.dispatch(name, input, { transport: 'internal' });
    if (!outcome.ok) throw new Error(`${name}: ${outcome.error.Code}: ${outcome.error.Message}`);
    return outcome.output as OperationOutput<N>;
  };
}

function seedRegistry(file: string, keys: number, records: number): void {
  const registry = openRegistry({ file });
  try {
    const keyStoreId = registry.keyStores.getDefault()!.id;
    for (let start = 0; start < keys; start += 5000) {
      registry.transaction(() => {
        for (let index = start; index < Math.min(keys, start + 5000); index += 1) registry.keys.insert(benchKeyRow(index, keyStoreId));
      });
    }
    for (let start = 0; start < records; start += 5000) {
      const events = Array.from({ length: Math.min(5000, records - start) }, (_, i) => ({
        operation: 'Encrypt',
        actor: 'bench',
        transport: 'internal',
        resourceId: `key-${(start + i) % keys}`,
        outcome: 'SUCCESS' as const,
        requestId: randomUUID(),
      }));
      registry.audit.appendMany(events);
    }
  } finally {
    registry.close();
  }
}

function sourceOf(dataDir: string, name: string): string {
  return name === 'registry.sqlite' ? path.join(dataDir, 'registry.sqlite') : path.join(dataDir, 'softhsm', ...name.split('/'));
}

/** The audit anchor object is replaced as the log grows: one listed at the backup may be gone now. */
function copyIfPresent(from: string, to: string): void {
  try {
    copyFileSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
