import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, OPERATION_NAMES } from '../../../shared/contract';
import { parseCliArguments, runCliOperation, type CliIo } from '../../../electron/main/transports/cli';
import { startBrowserHost } from '../../../electron/main/transports/ws-host';
import { hostSocket, openHostSession } from '../../support/host-session';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, createTestCore, removeDir } from '../../support/test-core';
import { writeFigures } from '../reliability/support/figures';

/** A second canary for PIN-like fields (SO PINs, cluster passwords), distinct from the password. */
const CANARY_PIN = 'PinCanary5150zz';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function needlesOf(secret: string): Buffer[] {
  return [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64').slice(0, 16))];
}

/** Captures everything this process writes to the console and to stdout/stderr while `fn` runs. */
async function capturingOutput<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn, out: process.stdout.write, err: process.stderr.write };
  const keep = (...args: unknown[]): void => void chunks.push(args.map(String).join(' '));
  console.error = keep;
  console.log = keep;
  console.warn = keep;
  process.stdout.write = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { value: await fn(), output: chunks.join('\n') };
  } finally {
    Object.assign(console, { error: saved.error, log: saved.log, warn: saved.warn });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

describe('secret hygiene', () => {
  it('leaves no trace of the key store password anywhere in the data directory, WAL included', async () => {
    const t = await createTestCore();
    const logs: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => logs.push(args.map(String).join(' '));
    try {
      await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
      await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x').toString('base64') });
      await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
      await t.fail('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: `${CANARY_PASSWORD}9` });
      await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
      // Read the files while the database is still open, so the WAL has not been checkpointed away.
      const files = filesUnder(t.dataDir);
      expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
      const needles = [Buffer.from(CANARY_PASSWORD, 'utf8'), Buffer.from(CANARY_PASSWORD, 'utf16le')];
      for (const file of files) {
        const content = readFileSync(file);
        for (const needle of needles) expect(content.includes(needle), `${file} contains the password`).toBe(false);
      }
      expect(logs.join('\n')).not.toContain(CANARY_PASSWORD);
    } finally {
      console.error = originalError;
      await t.close();
      removeDir(t.dataDir);
    }
  });

  /*
   * R4: every operation with a secret field (found in the contract, so new ones are covered), with
   * the canary password and a canary PIN, right and wrong, valid and malformed, through the
   * dispatcher, the WebSocket and the CLI (arguments, --pin-env, stdin, mistakes on the command
   * line). Afterwards neither canary is in any file of the data directory (SQLite, WAL, token
   * files), in any audit row, in any answer, or in anything written to the console.
   */
  it('keeps a canary password and PIN out of every file, audit row, answer and log on every transport', async () => {
    const t = await createTestCore();
    const host = await startBrowserHost({ dispatch: t.core.dispatch, rendererDir: t.dataDir, port: 0 });
    const answers: string[] = [];
    let calls = 0;
    try {
      const { output } = await capturingOutput(async () => {
        await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
        const secretOps = OPERATION_NAMES.filter((name) => contract[name].secretFields.length > 0);
        expect(secretOps.length).toBeGreaterThan(0);
        const values = [CANARY_PASSWORD, CANARY_PIN, `${CANARY_PIN} with spaces`, `${CANARY_PASSWORD}${'x'.repeat(80)}`, CANARY_PIN.slice(0, 7)];
        for (const op of secretOps) {
          for (const value of values) {
            const input: Record<string, unknown> = { KeyStoreId: 'kst-default' };
            for (const field of contract[op].secretFields) input[field] = value;
            for (const field of ['SoPin', 'OldPassword', 'NewPassword', 'Password']) if (field in (contract[op].input as unknown as { shape: object }).shape) input[field] = CANARY_PIN;
            answers.push(JSON.stringify(await t.core.dispatch(op, input, { transport: 'internal' })));
            // The secret in an unknown field, and as a field name, must not be echoed either.
            answers.push(JSON.stringify(await t.core.dispatch(op, { ...input, Extra: value }, { transport: 'internal' })));
            answers.push(JSON.stringify(await t.core.dispatch(op, { [value]: 1 }, { transport: 'internal' })));
            calls += 3;
          }
        }
        // The WebSocket.
        const socket = hostSocket(host.url, await openHostSession(host.launchUrl));
        await new Promise((resolve) => socket.once('open', resolve));
        const messages: string[] = [];
        // Six calls and one broken frame: seven answers (progress events aside) end the exchange.
        const allAnswered = new Promise<void>((resolve) => {
          let answers = 0;
          socket.on('message', (data: Buffer) => {
            messages.push(data.toString());
            if ((JSON.parse(data.toString()) as { kind: string }).kind !== 'progress' && ++answers === 7) resolve();
          });
        });
        for (const [id, value] of [CANARY_PASSWORD, CANARY_PIN, 'short'].entries()) {
          socket.send(JSON.stringify({ id, op: 'ConnectKeyStore', input: { KeyStoreId: 'kst-default', KeyStorePassword: value } }));
          socket.send(JSON.stringify({ id: 100 + id, op: 'InitializeDefaultKeyStore', input: { KeyStorePassword: value } }));
          calls += 2;
        }
        socket.send(`{"id": 7, "op": "ConnectKeyStore", "input": {"KeyStorePassword": "${CANARY_PIN}"`); // broken JSON
        calls += 1;
        await allAnswered;
        socket.close();
        answers.push(...messages);
        // The CLI in this process: secrets by argument, by --pin-env, by stdin, and command-line mistakes.
        const cliArgs: string[][] = [
          ['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--KeyStorePassword', CANARY_PASSWORD],
          ['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--pin-env', 'KW_CANARY'],
          ['ConnectKeyStore', '--KeyStoreId', 'kst-default'],
          ['ConnectKeyStore', '--KeyStoreId', 'kst-default', CANARY_PIN],
          ['ConnectKeyStore', CANARY_PIN, '--KeyStoreId'],
          ['ConnectKeyStore', '--cli-input-json', `{"KeyStoreId":"kst-default","KeyStorePassword":"${CANARY_PIN}"`],
          ['ConnectKeyStore', '--KeyStoreId', 'kst-default', `--${CANARY_PIN}`, 'x'],
        ];
        for (const argv of cliArgs) {
          const io: CliIo = {
            env: { KW_CANARY: CANARY_PIN },
            stdout: (text) => void answers.push(text),
            stderr: (text) => void answers.push(text),
            readStdin: async () => `${CANARY_PIN}\n`,
          };
          const parsed = parseCliArguments(argv, io);
          if (typeof parsed !== 'number') await runCliOperation(parsed, { dispatch: t.core.dispatch, close: async () => undefined }, io);
          calls += 1;
        }
      });
      // Two real kms processes: the secret from the environment and from stdin.
      const spawned = await Promise.all([
        runKms(['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--pin-env', 'KW_CANARY'], { env: { KMS_DATA_DIR: t.dataDir, KW_CANARY: CANARY_PIN } }),
        runKms(['ConnectKeyStore', '--KeyStoreId', 'kst-default', '--bogus', CANARY_PASSWORD], { env: { KMS_DATA_DIR: t.dataDir }, stdin: `${CANARY_PASSWORD}\n` }),
      ]);
      calls += spawned.length;
      const audit = await t.call('ListAuditEvents', { PageSize: 100 });
      const seen = [output, ...answers, ...spawned.flatMap((r) => [r.stdout, r.stderr]), JSON.stringify(audit)].join('\n');
      const files = filesUnder(t.dataDir);
      expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
      let scannedBytes = 0;
      for (const secret of [CANARY_PASSWORD, CANARY_PIN]) {
        const at = seen.indexOf(secret);
        expect(at, `an answer, log line or audit row contains ${secret}: …${seen.slice(Math.max(0, at - 300), at + 40).replace(/\n/g, " ")}`).toBe(-1);
        for (const file of files) {
          const content = readFileSync(file);
          scannedBytes += content.length;
          for (const needle of needlesOf(secret)) expect(content.includes(needle), `${file} contains ${secret}`).toBe(false);
        }
      }
      writeFigures({
        suite: 'R4',
        title: 'Secrets hygiene',
        lines: [
          `${calls} calls carrying a canary password or PIN (every operation with a secret field; dispatcher, WebSocket, CLI in-process and 2 kms processes; right, wrong and malformed values)`,
          `${files.length} data-directory files (${Math.round(scannedBytes / 2 / 1024)} KiB: SQLite, WAL, SoftHSM2 token files), ${audit.Events.length} audit rows, every answer and console/stdout/stderr line: no canary, in UTF-8, UTF-16 or base64`,
          'renderer storage: tests/ui/secret-hygiene.spec.ts (Playwright) checks localStorage, sessionStorage, cookies and IndexedDB after the first-run and unlock screens',
        ],
        findings: [],
      });
    } finally {
      await host.close();
      await t.close();
      removeDir(t.dataDir);
    }
  }, 120_000);
});
