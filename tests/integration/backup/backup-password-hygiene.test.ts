/**
 * R4 for backups: a canary backup password, right and wrong, valid and malformed, through
 * CreateBackup, DescribeBackup, VerifyBackup and RestoreBackup on the dispatcher, the WebSocket of a
 * browser host and real kms processes (--secret-env, standard input, a stray command-line word).
 * Afterwards neither canary is in any file of the data directories (SQLite, WAL, token files, the
 * exchange), in the backup files themselves, in any audit row, answer or progress event, or in
 * anything written to the console — in UTF-8, UTF-16LE, hex or base64.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost } from '../../../electron/main/transports/ws-host';
import { capturingOutput, scanFiles, scanText } from '../../support/canary-scan';
import { hostSocket, openHostSession } from '../../support/host-session';
import { runKms, type CliResult } from '../../support/run-cli';
import { CANARY_PASSWORD, createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { takeBackupFile } from '../reliability/support/backup-files';

const BACKUP_CANARY = 'BkpCanary7Qx9Zeta42';
const WRONG_CANARY = 'WrongBkp5Vw81Kappa';
const CANARIES = [BACKUP_CANARY, WRONG_CANARY, CANARY_PASSWORD];

/** Sends `calls` one after another on one socket (a restore reopens the core under the next); every message comes back, progress included. */
async function overSocket(hostUrl: string, cookie: string, calls: { op: string; input: unknown }[]): Promise<{ messages: string[]; answers: { kind: string; id: number; output?: { BackupId?: string }; error?: { Code: string } }[] }> {
  const socket = hostSocket(hostUrl, cookie);
  await new Promise((resolve) => socket.once('open', resolve));
  const messages: string[] = [];
  const answers: { kind: string; id: number; error?: { Code: string } }[] = [];
  let answered: (() => void) | null = null;
  socket.on('message', (data: WebSocket.RawData) => {
    messages.push(String(data));
    const message = JSON.parse(String(data)) as { kind: string; id: number; error?: { Code: string } };
    if (message.kind === 'progress') return;
    answers.push(message);
    answered?.();
  });
  try {
    for (const [id, call] of calls.entries()) {
      const done = new Promise<void>((resolve) => (answered = resolve));
      socket.send(JSON.stringify({ id, op: call.op, input: call.input }));
      await done;
    }
  } finally {
    socket.close();
  }
  return { messages, answers };
}

describe('backup password hygiene (R4)', () => {
  it('keeps a canary backup password out of every file, backup, audit row, answer, progress event and log on every transport', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'keyward-backup-hygiene-'));
    const seen: { where: string; text: string }[] = [];
    const findings: string[] = [];
    const backups: string[] = [];
    const dataDirs: string[] = [];
    let source: TestCore | null = null;
    let target: TestCore | null = null;
    const record = (where: string, value: unknown): void => void seen.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) });
    try {
      const { output } = await capturingOutput(async () => {
        source = await createTestCore();
        target = await createTestCore();
        dataDirs.push(source.dataDir, target.dataDir);
        await source.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
        await source.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
        const dispatch = async (t: TestCore, op: string, input: unknown, expected: string): Promise<Record<string, unknown>> => {
          const answer = await t.core.dispatch(op, input, { transport: 'internal', onProgress: (event) => record(`progress of ${op}`, event) });
          record(`answer of ${op}`, answer);
          expect(answer.ok ? 'OK' : answer.error.Code, `${op} ${JSON.stringify(Object.keys(input as object))}`).toBe(expected);
          return answer.ok ? (answer.output as Record<string, unknown>) : {};
        };

        // The dispatcher: made, refused in every malformed way, verified right and wrong, restored.
        const made = await dispatch(source, 'CreateBackup', { Password: BACKUP_CANARY, Description: 'hygiene' }, 'OK');
        await dispatch(source, 'CreateBackup', { Password: BACKUP_CANARY, Extra: BACKUP_CANARY }, 'InvalidParameter');
        await dispatch(source, 'CreateBackup', { [BACKUP_CANARY]: BACKUP_CANARY }, 'MissingParameter');
        await dispatch(source, 'CreateBackup', { Password: BACKUP_CANARY.repeat(8) }, 'InvalidParameter');
        await dispatch(source, 'CreateBackup', { Password: BACKUP_CANARY.slice(0, 8) }, 'InvalidParameter');
        const file = takeBackupFile(source.core, made.BackupId as string, path.join(work, 'dispatcher.kwbackup'));
        backups.push(file);
        const fileId = target.core.files.registerIncoming(file, false);
        await dispatch(target, 'DescribeBackup', { FileId: fileId }, 'OK');
        await dispatch(target, 'VerifyBackup', { FileId: fileId, Password: WRONG_CANARY }, 'IncorrectBackupPassword');
        await dispatch(target, 'VerifyBackup', { FileId: fileId, Password: BACKUP_CANARY }, 'OK');
        await dispatch(target, 'RestoreBackup', { FileId: fileId, Password: WRONG_CANARY }, 'IncorrectBackupPassword');
        await dispatch(target, 'RestoreBackup', { FileId: fileId, Password: BACKUP_CANARY }, 'OK');
        await dispatch(target, 'RestoreBackup', { FileId: fileId, Password: BACKUP_CANARY }, 'Forbidden.DataDirNotEmpty');
        await dispatch(source, 'RestoreBackup', { FileId: source.core.files.registerIncoming(file, false), Password: WRONG_CANARY }, 'Forbidden.DataDirNotEmpty');

        // The WebSocket of a browser host on the source.
        const host = await startBrowserHost({ dispatch: source.core.dispatch, rendererDir: work, port: 0, files: source.core.files });
        try {
          const cookie = await openHostSession(host.launchUrl);
          const wsFile = source.core.files.registerIncoming(file, false);
          const { messages, answers } = await overSocket(host.url, cookie, [
            { op: 'CreateBackup', input: { Password: BACKUP_CANARY } },
            { op: 'CreateBackup', input: { Password: BACKUP_CANARY, Extra: WRONG_CANARY } },
            { op: 'VerifyBackup', input: { FileId: wsFile, Password: WRONG_CANARY } },
            { op: 'VerifyBackup', input: { FileId: wsFile, Password: BACKUP_CANARY } },
            { op: 'RestoreBackup', input: { FileId: wsFile, Password: BACKUP_CANARY } },
          ]);
          expect(answers.map((answer) => (answer.kind === 'result' ? 'OK' : answer.error?.Code))).toEqual(['OK', 'InvalidParameter', 'IncorrectBackupPassword', 'OK', 'Forbidden.DataDirNotEmpty']);
          for (const message of messages) record('WebSocket', message);
          backups.push(takeBackupFile(source.core, answers[0]!.output!.BackupId!, path.join(work, 'websocket.kwbackup')));
        } finally {
          await host.close();
        }

        // The data directories while their registries are open (WAL included), and every audit row.
        for (const t of [source, target]) record(`audit rows of ${t.dataDir}`, await t.call('ListAuditEvents', { PageSize: 100 }));
        for (const dir of dataDirs) findings.push(...scanFiles(dir, CANARIES).findings.map((finding) => `with the registry open: ${finding}`));
      });
      record('console of this process', output);
      await (source as TestCore | null)?.close();

      // Real kms processes: the password from the environment and from standard input, wrong, and refused as a word.
      const kms = async (args: string[], expected: number, options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> => {
        const result = await runKms(args, { stdin: options.stdin, env: { KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD, ...options.env } });
        record(`kms ${args[0]} stdout`, result.stdout);
        record(`kms ${args[0]} stderr`, result.stderr);
        expect(result.code, `kms ${args.slice(0, 6).join(' ')}: ${result.stderr}`).toBe(expected);
        return result;
      };
      const sourceDir = dataDirs[0]!;
      const cliFile = path.join(work, 'cli.kwbackup');
      await kms(['CreateBackup', '--data-dir', sourceDir, '--output', cliFile, '--secret-env', 'Password=KW_BKP'], 0, { env: { KW_BKP: BACKUP_CANARY } });
      backups.push(cliFile);
      // A password typed as a stray word is refused without being echoed.
      await kms(['CreateBackup', '--data-dir', sourceDir, '--output', path.join(work, 'refused.kwbackup'), BACKUP_CANARY], 2);
      await kms(['VerifyBackup', '--data-dir', sourceDir, '--input', cliFile], 0, { stdin: `${BACKUP_CANARY}\n` });
      await kms(['VerifyBackup', '--data-dir', sourceDir, '--input', cliFile, '--secret-env', 'Password=KW_BKP'], 1, { env: { KW_BKP: WRONG_CANARY } });
      const fresh = mkdtempSync(path.join(tmpdir(), 'keyward-backup-hygiene-cli-'));
      dataDirs.push(fresh);
      await kms(['RestoreBackup', '--data-dir', fresh, '--input', cliFile, '--secret-env', 'Password=KW_BKP'], 0, { env: { KW_BKP: BACKUP_CANARY } });
    } finally {
      await (target as TestCore | null)?.close();
    }

    // The backup files themselves (in `work`) carry the password in no form, only what scrypt derived from it.
    expect(backups).toHaveLength(3);
    findings.push(...scanFiles(work, CANARIES).findings);
    for (const dir of dataDirs) findings.push(...scanFiles(dir, CANARIES).findings);
    for (const { where, text } of seen) findings.push(...scanText(where, text, CANARIES));
    expect(findings).toEqual([]);
    for (const dir of dataDirs) removeDir(dir);
    removeDir(work);
  }, 180_000);
});
