import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CallOutcome } from '../../../shared/bridge';
import { contract, OPERATION_NAMES } from '../../../shared/contract';
import { parseCliArguments, runCliOperation, type CliIo } from '../../../electron/main/transports/cli';
import { startBrowserHost } from '../../../electron/main/transports/ws-host';
import { hostAddress, spawnBrowserHost } from '../../support/browser-host-process';
import { canaryNeedles, capturingOutput, filesUnder, scanFiles, scanText } from '../../support/canary-scan';
import { callOverSocket, hostSocket, openHostSession } from '../../support/host-session';
import { runKms, type CliResult } from '../../support/run-cli';
import { CANARY_PASSWORD, createTestCore, disposeTestCore, removeDir } from '../../support/test-core';
import { writeFigures } from '../reliability/support/figures';

/** A second canary for PIN-like fields (SO PINs, cluster passwords), distinct from the password. */
const CANARY_PIN = 'PinCanary5150zz';

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
      await disposeTestCore(t);
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
            for (const field of ['SoPin', 'OldPassword', 'NewPassword', 'Password']) if (field in contract[op].input.shape) input[field] = CANARY_PIN;
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
            readStdin: async () => Buffer.from(`${CANARY_PIN}\n`),
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
          for (const needle of canaryNeedles(secret)) expect(content.includes(needle), `${file} contains ${secret}`).toBe(false);
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
      await disposeTestCore(t);
    }
  }, 120_000);
});

/*
 * R4 for Secrets Manager: canary secret values through CreateSecret and PutSecretValue on the
 * dispatcher, a real browser host process's WebSocket and the kms CLI (in this process, and as real
 * processes with --secret-file FILE, --secret-file -, --secret-env and plain standard input), and
 * a GetRandomPassword result stored as a secret; refused calls (version exists, check-and-set,
 * deleted secret, disabled CMK, stage limit, schema and size refusals) carry a canary of their own.
 * No canary may be in a file of the data directory (read while the registry is open, WAL and SHM
 * included), an audit row, the host's or the CLI's output, or an answer other than GetSecretValue's
 * (and, for its password, GetRandomPassword's own).
 */
const VALUE_CANARIES = {
  dispatcher: 'SecretValueCanary1Dsp',
  multiLine: 'SecretValueCanary2Pem',
  binary: 'SecretValueCanary3Bin',
  refused: 'SecretValueCanary4Ref',
  webSocket: 'SecretValueCanary5Wss',
  cliInProcess: 'SecretValueCanary6Cip',
  cliFile: 'SecretValueCanary7Fil',
  cliStdin: 'SecretValueCanary8Std',
  cliEnv: 'SecretValueCanary9Env',
};
const REFUSED = VALUE_CANARIES.refused;

/** An answer (of operation `op`), a log or an output to scan. */
interface Seen {
  where: string;
  op: string;
  text: string;
}

describe('secret values hygiene (Secrets Manager)', () => {
  it('keeps canary secret values out of every file, audit row, log and answer but GetSecretValue, on every transport', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-value-hygiene-'));
    const work = mkdtempSync(path.join(tmpdir(), 'keyward-value-hygiene-work-'));
    onTestFinished(() => {
      removeDir(dataDir);
      removeDir(work);
    });
    const seen: Seen[] = [];
    const findings: string[] = [];
    const scans: { files: number; bytes: number }[] = [];
    const counts = { calls: 0, refusals: 0, reads: 0, kmsProcesses: 0 };
    let random = '';
    const scanDataDir = (moment: string): void => {
      const scan = scanFiles(dataDir, [...Object.values(VALUE_CANARIES), random, CANARY_PASSWORD]);
      findings.push(...scan.findings.map((finding) => `${moment}: ${finding}`));
      scans.push(scan);
    };
    /** Judges one answer: what it must be, and (GetSecretValue) that the value made the round trip. */
    const judge = (where: string, op: string, outcome: CallOutcome, expected: string, value?: string): void => {
      counts.calls += 1;
      seen.push({ where, op, text: JSON.stringify(outcome) });
      expect(outcome.ok ? 'OK' : outcome.error.Code, `${where} ${op}: ${outcome.ok ? '' : outcome.error.Message}`).toBe(expected);
      if (expected !== 'OK') counts.refusals += 1;
      if (value !== undefined) {
        counts.reads += 1;
        expect(outcome.ok && (outcome.output as { SecretData?: string }).SecretData === value, `${where} ${op} read back another value`).toBe(true);
      }
    };

    let t = await createTestCore(dataDir);
    try {
      // The dispatcher, and the CLI in this process.
      const { output } = await capturingOutput(async () => {
        const call = async (op: string, input: unknown, expected = 'OK', value?: string): Promise<Record<string, unknown>> => {
          const outcome = await t.core.dispatch(op, input, { transport: 'internal' });
          judge('dispatcher', op, outcome, expected, value);
          return outcome.ok ? (outcome.output as Record<string, unknown>) : {};
        };
        const keyId = async (): Promise<string> => ((await call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata as { KeyId: string }).KeyId;
        await call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
        const otherKey = await keyId();
        const disabledKey = await keyId();
        await call('DisableKey', { KeyId: disabledKey });
        random = String((await call('GetRandomPassword', { PasswordLength: 40 })).RandomPassword);
        const name = 'hygiene/dispatcher';
        const pem = `-----BEGIN KEY-----\n${VALUE_CANARIES.multiLine}\n-----END KEY-----\n`;
        const binary = Buffer.concat([Buffer.from([0, 255]), Buffer.from(VALUE_CANARIES.binary), Buffer.from([128])]).toString('base64');
        await call('CreateSecret', { SecretName: name, VersionId: 'd1', SecretData: VALUE_CANARIES.dispatcher, Description: 'database' });
        const put = { SecretName: name, VersionId: 'd2', SecretData: pem, VersionStages: ['ACSCurrent', 'Blue'], ExpectedCurrentVersionId: 'd1' };
        await call('PutSecretValue', put);
        await call('PutSecretValue', put); // the retry of a stored version opens it to compare
        await call('PutSecretValue', { SecretName: name, VersionId: 'd3', SecretData: binary, SecretDataType: 'binary' });
        await call('CreateSecret', { SecretName: 'hygiene/random', VersionId: 'p1', SecretData: random, EncryptionKeyId: otherKey });
        await call('UpdateSecret', { SecretName: name, EncryptionKeyId: otherKey, Description: 'moved' });
        await call('UpdateSecretVersionStage', { SecretName: name, VersionStage: 'Blue', RemoveFromVersion: 'd2', MoveToVersion: 'd1' });
        await call('GetSecretValue', { SecretName: name, VersionId: 'd1' }, 'OK', VALUE_CANARIES.dispatcher);
        await call('GetSecretValue', { SecretName: name, VersionStage: 'ACSPrevious' }, 'OK', pem);
        await call('GetSecretValue', { SecretName: name }, 'OK', binary);
        await call('GetSecretValue', { SecretName: 'hygiene/random' }, 'OK', random);
        await call('DescribeSecret', { SecretName: name });
        await call('ListSecrets', {});
        await call('ListSecretVersionIds', { SecretName: name, IncludeDeprecated: true });

        const refusal = { SecretName: name, VersionId: 'r1', SecretData: REFUSED };
        await call('PutSecretValue', { ...refusal, VersionId: 'd1' }, 'AlreadyExists.SecretVersion');
        await call('PutSecretValue', { ...refusal, ExpectedCurrentVersionId: 'd1' }, 'Conflict.SecretVersion');
        await call('PutSecretValue', { ...refusal, SecretName: 'hygiene/none' }, 'NotFound.Secret');
        await call('PutSecretValue', { ...refusal, VersionStages: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] }, 'LimitExceeded.SecretVersionStage');
        await call('PutSecretValue', { ...refusal, SecretData: REFUSED.repeat(1_500) }, 'InvalidParameter'); // 31,500 bytes: too large a value
        await call('PutSecretValue', { ...refusal, SecretData: REFUSED.repeat(2_000) }, 'InvalidParameter'); // beyond the raw length cap
        await call('PutSecretValue', { ...refusal, SecretData: REFUSED.repeat(13_000) }, 'RequestTooLarge');
        await call('PutSecretValue', { ...refusal, SecretDataType: 'binary' }, 'InvalidParameter'); // not base64
        await call('PutSecretValue', { ...refusal, SecretData: `${REFUSED}\uD800` }, 'InvalidParameter'); // lone surrogate
        await call('PutSecretValue', { ...refusal, Extra: REFUSED }, 'InvalidParameter');
        await call('PutSecretValue', { ...refusal, [REFUSED]: REFUSED }, 'InvalidParameter');
        await call('PutSecretValue', { [REFUSED]: REFUSED }, 'MissingParameter');
        await call('CreateSecret', { ...refusal, VersionId: 'x1' }, 'AlreadyExists.Secret');
        await call('CreateSecret', { ...refusal, SecretName: 'hygiene/disabled', EncryptionKeyId: disabledKey }, 'Forbidden.KeyState');
        await call('DeleteSecret', { SecretName: 'hygiene/random', RecoveryWindowInDays: 7 });
        await call('PutSecretValue', { ...refusal, SecretName: 'hygiene/random' }, 'Forbidden.SecretState');
        await call('RestoreSecret', { SecretName: 'hygiene/random' });

        const cli = async (argv: string[], expected: number, input: { stdin?: string; env?: Record<string, string> } = {}): Promise<void> => {
          const out: string[] = [];
          const io: CliIo = { env: input.env ?? {}, stdout: (text) => void out.push(text), stderr: (text) => void out.push(text), readStdin: async () => (input.stdin === undefined ? null : Buffer.from(input.stdin)) };
          const parsed = parseCliArguments(argv, io);
          const code = typeof parsed === 'number' ? parsed : await runCliOperation(parsed, { dispatch: t.core.dispatch, close: async () => undefined }, io);
          counts.calls += 1;
          if (expected !== 0) counts.refusals += 1;
          seen.push({ where: 'kms in process', op: argv[0]!, text: out.join('') });
          expect(code, `kms ${argv.slice(0, 5).join(' ')}: ${out.join('')}`).toBe(expected);
        };
        const cliPut = ['PutSecretValue', '--SecretName', name, '--VersionId'];
        await cli([...cliPut, 'i1'], 0, { stdin: VALUE_CANARIES.cliInProcess });
        await cli([...cliPut, 'i2', '--secret-env', 'SecretData=KW_VALUE'], 0, { env: { KW_VALUE: `${VALUE_CANARIES.cliInProcess}-env` } });
        await cli([...cliPut, 'i1', '--secret-env', 'SecretData=KW_VALUE'], 1, { env: { KW_VALUE: REFUSED } });
        await cli([...cliPut, 'i3', '--SecretData', REFUSED], 2);
        await call('GetSecretValue', { SecretName: name, VersionId: 'i1' }, 'OK', VALUE_CANARIES.cliInProcess);
        // Read while the registry is open: the WAL and SHM files are still there.
        expect(filesUnder(dataDir).some((file) => file.endsWith('-wal'))).toBe(true);
        scanDataDir('with the dispatcher core open');
      });
      seen.push({ where: 'console of this process', op: 'log', text: output });
    } finally {
      await t.close();
    }

    // The WebSocket of a real browser host process, which holds the data directory meanwhile.
    const rendererDir = path.join(work, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyward</title>');
    const launchDir = mkdtempSync(path.join(tmpdir(), 'keyward-value-hygiene-launch-'));
    const host = spawnBrowserHost(['--data-dir', dataDir, '--renderer-dir', rendererDir, '--url-file', path.join(launchDir, 'launch-url')]);
    try {
      const hostUrl = await hostAddress(host);
      const cookie = await openHostSession(readFileSync(path.join(launchDir, 'launch-url'), 'utf8').trim());
      const ws = async (op: string, input: unknown, expected = 'OK', value?: string): Promise<void> =>
        judge('WebSocket', op, await callOverSocket(hostUrl, cookie, op, input), expected, value);
      const name = 'hygiene/ws';
      await ws('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
      await ws('CreateSecret', { SecretName: name, VersionId: 'w1', SecretData: VALUE_CANARIES.webSocket });
      await ws('PutSecretValue', { SecretName: name, VersionId: 'w2', SecretData: `${VALUE_CANARIES.webSocket}\nline two` });
      await ws('GetSecretValue', { SecretName: name, VersionId: 'w1' }, 'OK', VALUE_CANARIES.webSocket);
      await ws('PutSecretValue', { SecretName: name, VersionId: 'w1', SecretData: REFUSED }, 'AlreadyExists.SecretVersion');
      await ws('PutSecretValue', { SecretName: name, VersionId: 'w3', SecretData: REFUSED.repeat(1_500) }, 'InvalidParameter');
      await ws('DescribeSecret', { SecretName: name });
      scanDataDir('with the browser host running');
    } finally {
      await host.stop();
      seen.push({ where: 'browser host output', op: 'log', text: host.output() });
      removeDir(launchDir);
    }

    // Real kms processes: the value from a file, from standard input (- and plain) and from the environment.
    const kms = async (args: string[], expected: number, options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> => {
      const result = await runKms(args, { stdin: options.stdin, env: { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD, ...options.env } });
      counts.calls += 1;
      counts.kmsProcesses += 1;
      if (expected !== 0) counts.refusals += 1;
      seen.push({ where: 'kms process stdout', op: args[0]!, text: result.stdout }, { where: 'kms process stderr', op: 'log', text: result.stderr });
      expect(result.code, `kms ${args.slice(0, 5).join(' ')}: ${result.stderr}`).toBe(expected);
      return result;
    };
    const valueFile = (name: string, content: string): string => {
      writeFileSync(path.join(work, name), content, { mode: 0o600 });
      return path.join(work, name);
    };
    const cliPut = ['PutSecretValue', '--SecretName', 'hygiene/cli', '--VersionId'];
    await kms(['CreateSecret', '--SecretName', 'hygiene/cli', '--VersionId', 'c1', '--secret-file', `SecretData=${valueFile('value.txt', `${VALUE_CANARIES.cliFile}\n`)}`], 0);
    await kms([...cliPut, 'c2', '--secret-file', 'SecretData=-'], 0, { stdin: VALUE_CANARIES.cliStdin });
    await kms([...cliPut, 'c3', '--secret-env', 'SecretData=KW_VALUE'], 0, { env: { KW_VALUE: VALUE_CANARIES.cliEnv } });
    await kms([...cliPut, 'c4'], 0, { stdin: `${VALUE_CANARIES.cliStdin}-plain\n` });
    await kms([...cliPut, 'c1', '--secret-file', `SecretData=${valueFile('refused.txt', REFUSED)}`], 1);
    await kms([...cliPut, 'c5', '--SecretData', REFUSED], 2);
    // One at a time: a login is charged as failed until the HSM accepts it, so four at once meet the back-off.
    const reads: CliResult[] = [];
    for (const version of ['c1', 'c2', 'c3', 'c4']) reads.push(await kms(['GetSecretValue', '--SecretName', 'hygiene/cli', '--VersionId', version], 0));
    expect(reads.map((read) => read.json.SecretData)).toEqual([`${VALUE_CANARIES.cliFile}\n`, VALUE_CANARIES.cliStdin, VALUE_CANARIES.cliEnv, `${VALUE_CANARIES.cliStdin}-plain\n`]);
    counts.reads += reads.length;

    // Every audit row, and the data directory once more with the registry open.
    t = await createTestCore(dataDir);
    let auditRows = 0;
    try {
      for (let page = 1; ; page += 1) {
        const audit = await t.call('ListAuditEvents', { PageNumber: page, PageSize: 100 });
        seen.push({ where: 'audit rows', op: 'audit', text: JSON.stringify(audit.Events) });
        auditRows += audit.Events.length;
        if (page * 100 >= audit.TotalCount) break;
      }
      scanDataDir('at the end');
    } finally {
      await t.close();
    }

    const secrets = [...Object.values(VALUE_CANARIES), CANARY_PASSWORD];
    for (const { where, op, text } of seen) {
      if (op === 'GetSecretValue') continue;
      findings.push(...scanText(`${where} (${op})`, text, op === 'GetRandomPassword' ? secrets : [...secrets, random]));
    }
    expect(findings).toEqual([]);
    expect(auditRows).toBeGreaterThan(30);
    writeFigures({
      suite: 'R4-secrets',
      title: 'Secret values hygiene',
      lines: [
        `${counts.calls} calls put ${Object.keys(VALUE_CANARIES).length} canary secret values and a GetRandomPassword result through CreateSecret, PutSecretValue (and its retry), UpdateSecret (re-wrapping) and stage moves on the dispatcher, a browser host process's WebSocket, kms in process and ${counts.kmsProcesses} kms processes (--secret-file FILE, --secret-file -, --secret-env, standard input); ${counts.reads} read back with GetSecretValue`,
        `${counts.refusals} refused calls carrying a canary value (version exists, check-and-set, unknown or deleted secret, disabled CMK, stage limit, too large, not base64, lone surrogate, unknown field, command-line word): no message echoes it`,
        `data directory read ${scans.length} times with the registry open (${scans.at(-1)?.files ?? 0} files, ${Math.round((scans.at(-1)?.bytes ?? 0) / 1024)} KiB at the end: SQLite, WAL, SHM, SoftHSM2 token files), ${auditRows} audit rows, the host's and the CLI's output and every answer but GetSecretValue's: no canary in UTF-8, UTF-16LE, hex or base64 (3 alignments)`,
        'renderer storage: tests/ui/secret-hygiene.spec.ts (Playwright) checks storage, the DOM, the address and the console log after secret values were typed and revealed',
      ],
      findings: [],
    });
  }, 240_000);
});
