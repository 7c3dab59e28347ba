/**
 * A process for the backup crash suite to kill: the real core on a data directory, doing one thing
 * over and over (backup) or once (restore), and saying where it is on stdout, one line at a time:
 *
 *   PID-WORKERS-READY                  the core is up (and the default key store connected, for backups)
 *   PROGRESS <fraction> <message>      each progress event of the operation in flight
 *   BACKUP <BackupId>                  a CreateBackup answered: its file waits in the exchange
 *   RESTORED <BackupId>                RestoreBackup answered: the core reopened on the restored files
 *
 * Passwords come from the environment (KW_CRASH_PASSWORD: the default key store's; KW_BACKUP_PASSWORD:
 * the backup's), never from the command line, and are never printed.
 *
 *   node --import tsx backup-driver.ts '{"mode":"backup"|"restore","dataDir","backupFile"?}'
 */
import { createCore } from '../../../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../../../electron/main/hsm/node-launcher';

interface DriverOptions {
  mode: 'backup' | 'restore';
  dataDir: string;
  /** restore: the backup to restore. */
  backupFile?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as DriverOptions;
const keyStorePassword = process.env.KW_CRASH_PASSWORD;
const backupPassword = process.env.KW_BACKUP_PASSWORD;
delete process.env.KW_CRASH_PASSWORD;
delete process.env.KW_BACKUP_PASSWORD;
if (!options.dataDir || !backupPassword || (options.mode === 'backup' && !keyStorePassword) || (options.mode === 'restore' && !options.backupFile)) {
  console.error('usage: KW_BACKUP_PASSWORD=… [KW_CRASH_PASSWORD=…] backup-driver <options json>');
  process.exit(2);
}

/** Stops the run with a finding: the suite sees an exit instead of its SIGKILL. */
function fail(message: string): never {
  process.stderr.write(`DRIVER-FAILED ${message}\n`);
  process.exit(3);
}

const core = await createCore({ dataDir: options.dataDir, launcher: createNodeWorkerLauncher(), actor: 'backup-crash-driver', onNotice: () => undefined });
const call = async (op: string, input: unknown): Promise<Record<string, unknown>> => {
  const outcome = await core.dispatch(op, input, {
    transport: 'cli',
    onProgress: (event) => process.stdout.write(`PROGRESS ${event.fraction ?? '-'} ${event.message}\n`),
  });
  if (!outcome.ok) fail(`${op}: ${outcome.error.Code} ${outcome.error.Message}`);
  return outcome.output as Record<string, unknown>;
};

if (options.mode === 'backup') {
  await call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: keyStorePassword });
  process.stdout.write('PID-WORKERS-READY\n');
  for (let index = 0; ; index += 1) {
    const made = await call('CreateBackup', { Password: backupPassword, Description: `crash ${index}` });
    process.stdout.write(`BACKUP ${String(made.BackupId)}\n`);
  }
} else {
  const fileId = core.files.registerIncoming(options.backupFile!, false);
  process.stdout.write('PID-WORKERS-READY\n');
  const restored = await call('RestoreBackup', { FileId: fileId, Password: backupPassword });
  process.stdout.write(`RESTORED ${String((restored.Manifest as { BackupId: string }).BackupId)}\n`);
  // Stays up, as the app would, until the suite kills it.
  setInterval(() => undefined, 60_000);
}
