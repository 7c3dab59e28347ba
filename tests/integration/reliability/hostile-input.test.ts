/**
 * R1: hostile input. Seeded, generated malformed inputs for every operation of the contract, through
 * the dispatcher, the Electron IPC handler (bound in Node with a stand-in ipcMain), the browser
 * host's WebSocket and the CLI (parsed and run in-process, plus a few dozen real `kms` processes).
 * Every case must get a typed error (or, for a read-only operation the schema accepts, a result
 * within the contract); nothing may crash; the registry and the token must be unchanged. Secret
 * operations (issue 11) are generated like every other; a live secret and one pending deletion
 * give them real targets.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CallOutcome } from '../../../shared/bridge';
import { MAX_REQUEST_BYTES, OPERATION_NAMES } from '../../../shared/contract';
import type { WireMessage } from '../../../shared/wire';
import { bindIpc } from '../../../electron/main/transports/ipc';
import { parseCliArguments, runCliOperation, type CliIo } from '../../../electron/main/transports/cli';
import { startBrowserHost, type BrowserHost } from '../../../electron/main/transports/ws-host';
import { hostSocket, openHostSession } from '../../support/host-session';
import { runKms } from '../../support/run-cli';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { ObservedCodes } from './support/declared-errors';
import { writeFigures, thousands } from './support/figures';
import { hostileCases, mayChangeState, type FuzzWorld, type HostileCase } from './support/hostile-inputs';
import { describeCase, judgeError, judgeOutcome, Tally } from './support/outcomes';
import { Random, suiteSeed } from './support/random';
import { snapshotState, type StateSnapshot } from './support/state-snapshot';

const SEED = suiteSeed(0x5eed_0001);
const PASSWORD = 'Fuzz7Passw0rdQ';
const DISPATCHER_CASES = 6_500;
const IPC_CASES = 1_500;
const WS_CASES = 2_000;
const CLI_INPROCESS_CASES = 400;
const CLI_SPAWNED_CASES = 16;
const APP_URL = 'file:///opt/keyward/out/renderer/index.html';

const random = new Random(SEED);
const tally = new Tally();
const observed = new ObservedCodes();
let t: TestCore;
let world: FuzzWorld;
let before: StateSnapshot;
let host: BrowserHost;

async function inBatches<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(run));
  }
}

beforeAll(async () => {
  t = await createTestCore();
  await t.call('InitializeDefaultKeyStore', { KeyStorePassword: PASSWORD });
  const keys = await Promise.all(
    (['Aliyun_AES_256', 'EC_P256', 'HMAC_SHA256', 'EC_ED25519'] as const).map((KeySpec) => t.call('CreateKey', { KeySpec })),
  );
  const aes = keys[0]!.KeyMetadata;
  const { CiphertextBlob } = await t.call('Encrypt', { KeyId: aes.KeyId, Plaintext: Buffer.from('hostile').toString('base64') });
  // Secrets (and the default secrets key they make on first need) exist before the picture is taken.
  await t.call('CreateSecret', { SecretName: 'fuzz/db', SecretData: 'fuzz secret value', VersionId: 'v1', Tags: [{ TagKey: 'team', TagValue: 'r1' }] });
  await t.call('PutSecretValue', { SecretName: 'fuzz/db', VersionId: 'v2', SecretData: 'fuzz secret value 2', VersionStages: ['ACSCurrent', 'Canary'] });
  await t.call('CreateSecret', { SecretName: 'fuzz/pending', SecretData: 'pending', VersionId: 'v1', EncryptionKeyId: aes.KeyId });
  await t.call('DeleteSecret', { SecretName: 'fuzz/pending' });
  world = { keyIds: [...keys.map((k) => k.KeyMetadata.KeyId), aes.Arn], ciphertextBlob: CiphertextBlob, secretNames: ['fuzz/db', 'fuzz/pending'] };
  host = await startBrowserHost({ dispatch: t.core.dispatch, rendererDir: t.dataDir, port: 0 });
  // The audit anchor's key is created with the first anchor: settle it before taking the picture.
  await t.call('GetAuditAnchor', {});
  before = snapshotState(t.dataDir);
});

afterAll(async () => {
  await host?.close();
  await t?.close();
  if (t) removeDir(t.dataDir);
});

describe(`R1 hostile input (seed ${SEED})`, () => {
  it(`answers ${thousands(DISPATCHER_CASES)} generated cases through the dispatcher with typed errors`, async () => {
    const cases = hostileCases(DISPATCHER_CASES, random, world);
    await inBatches(cases, 16, async (c) => {
      const outcome = await t.core.dispatch(c.op, c.input, { transport: 'internal' });
      observed.addOutcome(c.op, outcome);
      tally.record('dispatcher', c.kind, outcome, judgeOutcome(c.op, c.input, outcome), () => describeCase(c.op, c.input));
    });
    const ops = new Set(cases.map((c) => c.op));
    for (const op of OPERATION_NAMES) expect(ops.has(op), `${op} got no case`).toBe(true);
    expect(tally.findings).toEqual([]);
  }, 180_000);

  it(`answers ${thousands(IPC_CASES)} cases and structured-clone-only values through the IPC handler`, async () => {
    let handler: ((event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<CallOutcome>) | null = null;
    const ipcMain = {
      handle: (_channel: string, h: typeof handler) => void (handler = h),
      removeHandler: () => undefined,
    };
    const unbind = bindIpc(ipcMain as never, t.core, (url) => url === APP_URL);
    const event = (url = APP_URL, parent: unknown = null) =>
      ({ senderFrame: { url, parent }, sender: { isDestroyed: () => false, send: () => undefined } }) as unknown as IpcMainInvokeEvent;
    const invoke = (e: IpcMainInvokeEvent, op: unknown, input: unknown): Promise<CallOutcome> => handler!(e, op, input);

    const circular: Record<string, unknown> = { KeyId: 'x' };
    circular.self = circular;
    const cloneOnly: unknown[] = [10n, new Map([['KeyId', 'x']]), new Set([1]), new Date(0), circular, new Uint8Array(8), Object.assign(new Array<number>(3), { 2: 1 }), -0, NaN, Infinity, /x/];
    const cases: HostileCase[] = hostileCases(IPC_CASES, random, world);
    for (const op of OPERATION_NAMES) {
      for (const value of cloneOnly) cases.push({ op, kind: 'wrong-type', input: { KeyId: value, Filters: value, Plaintext: value } }, { op, kind: 'whole-input', input: value });
    }
    let undeliverable = 0;
    await inBatches(cases, 16, async (c) => {
      let input: unknown;
      try {
        input = structuredClone(c.input); // what Electron's IPC does to every argument
      } catch {
        undeliverable += 1; // Electron would refuse to send it in the renderer
        return;
      }
      const outcome = await invoke(event(), c.op, input);
      observed.addOutcome(c.op, outcome);
      tally.record('ipc', c.kind, outcome, judgeOutcome(c.op, input, outcome), () => describeCase(c.op, c.input));
    });
    // Frames other than the app's own top frame are refused before the core.
    for (const e of [event('https://evil.example/'), event(APP_URL, { url: APP_URL }), event('file:///etc/passwd')]) {
      const outcome = await invoke(e, 'ListKeys', {});
      tally.record('ipc', 'foreign-frame', outcome, outcome.ok ? 'a foreign frame was served' : judgeError(outcome.error), () => 'foreign frame');
    }
    unbind();
    expect(undeliverable).toBeLessThan(cases.length / 10);
    expect(tally.findings).toEqual([]);
  }, 180_000);

  it(`answers ${thousands(WS_CASES)} pipelined cases and malformed frames over the browser host WebSocket`, async () => {
    const cookie = await openHostSession(host.launchUrl);
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const socket = hostSocket(host.url, cookie);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    let socket = await open();
    let nextId = 1;
    const waiting = new Map<number, (message: WireMessage) => void>();
    const listen = (s: WebSocket): void => {
      s.on('message', (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as WireMessage;
        if (message.kind === 'progress') return;
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      });
    };
    listen(socket);
    const send = (frame: string | Buffer, id: number): Promise<WireMessage> =>
      new Promise((resolve) => {
        waiting.set(id, resolve);
        socket.send(frame);
      });

    const cases = hostileCases(WS_CASES, random, world);
    let oversize = 0;
    await inBatches(cases, 32, async (c) => {
      const id = nextId++;
      let frame: string;
      try {
        frame = JSON.stringify({ id, op: c.op, input: c.input });
      } catch {
        frame = JSON.stringify({ id, op: c.op, input: 'unserializable on the client' });
      }
      if (frame.length > MAX_REQUEST_BYTES) {
        oversize += 1; // beyond the socket's payload limit: covered below, one socket each
        return;
      }
      const message = await send(frame, id);
      const outcome: CallOutcome =
        message.kind === 'result'
          ? { ok: true, output: message.output }
          : { ok: false, error: message.kind === 'error' ? message.error : { Code: 'InternalFailure', Message: 'progress instead of an answer', RequestId: '' } };
      observed.addOutcome(c.op, outcome);
      tally.record('ws', c.kind, outcome, judgeOutcome(c.op, JSON.parse(frame).input, outcome), () => describeCase(c.op, c.input));
    });

    // Frames that are not requests: answered with id -1, one at a time so answers cannot be confused.
    const junk: Array<string | Buffer> = [
      '', ' ', 'null', '[]', '{}', '"text"', '{not json', '{"id":"1","op":"ListKeys"}', '{"id":1.5,"op":"ListKeys"}',
      '{"id":1e400,"op":"ListKeys"}', `{"id":${Number.MAX_SAFE_INTEGER + 2},"op":"ListKeys"}`, '{"op":"ListKeys","input":{}}',
      '{"id":null}', '{"__proto__":{"id":7},"op":"ListKeys"}', Buffer.from([0, 1, 2, 3]), Buffer.from('{"id":1,"op":"ListKeys"}'),
      '\uD800', '{"id":1,"op":"ListKeys","input":{}}garbage', JSON.stringify({ id: -1, op: 'ListKeys' }).slice(0, -1),
    ];
    for (let i = 0; i < 10; i += 1) junk.push(random.bytes(1 + random.int(300)).toString(random.next() < 0.5 ? 'latin1' : 'base64'));
    for (const frame of junk) {
      const message = await send(frame, -1);
      const outcome: CallOutcome = message.kind === 'error' ? { ok: false, error: message.error } : { ok: true, output: null };
      tally.record('ws', 'malformed-frame', outcome, message.kind === 'error' ? judgeError(message.error) : 'a malformed frame got a result', () => String(frame).slice(0, 80));
    }

    // Oversized frames close that socket (payload limit) and nothing else: the host keeps serving.
    for (let i = 0; i < Math.max(2, Math.min(oversize, 5)); i += 1) {
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ id: nextId++, op: 'Encrypt', input: { KeyId: 'x', Plaintext: 'A'.repeat(MAX_REQUEST_BYTES + 2048) } }));
      expect(await closed).toBe(1009);
      tally.record('ws', 'oversize-frame', { ok: false, error: { Code: 'RequestTooLarge', Message: 'closed 1009', RequestId: '' } }, null, () => 'oversize');
      socket = await open();
      listen(socket);
    }
    const still = await send(JSON.stringify({ id: nextId, op: 'ListModules', input: {} }), nextId);
    expect(still.kind).toBe('result');
    socket.close();
    expect(tally.findings).toEqual([]);
  }, 180_000);

  it(`answers ${CLI_INPROCESS_CASES} CLI command lines in-process and ${CLI_SPAWNED_CASES} in real kms processes`, async () => {
    const argvOf = (c: HostileCase): string[] => {
      const op = typeof c.op === 'string' ? c.op : String(c.op);
      switch (random.int(8)) {
        case 0:
          return [op, '--KeyId'];
        case 1:
          return [op, '--PageSize', random.pick(['abc', '1e999', '-5', '0x10', ''])];
        case 2:
          return [op, '--cli-input-json', random.pick(['{bad', '[]', 'null', '"x"', '{"__proto__":{"KeySpec":"Aliyun_AES_256","polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'])];
        case 3:
          return [op, random.pick(['-x', 'stray', '--', '---', '--=', '--__proto__', '--constructor', '--toString', '--hasOwnProperty']), 'value'];
        case 4:
          return [op, '--Filters', random.pick(['[{"Key":"KeyState"}]', '{"__proto__":1}', 'not json', '[' .repeat(5000)])];
        default: {
          let json: string;
          try {
            json = JSON.stringify(c.input) ?? 'null';
          } catch {
            json = '{"Deep":1}';
          }
          // JSON drops what it cannot carry (undefined, functions): a case refused as an object may
          // turn into a valid state change as text. The suite sends only what must be refused.
          if (mayChangeState({ ...c, input: JSON.parse(json) as unknown })) json = '{"Deep":1}';
          return [op, '--cli-input-json', json];
        }
      }
    };
    const io = (): CliIo & { out: string[]; err: string[] } => {
      const out: string[] = [];
      const err: string[] = [];
      return { env: {}, stdout: (x) => void out.push(x), stderr: (x) => void err.push(x), readStdin: async () => null, out, err };
    };
    const judgeCli = (code: number, stdout: string, stderr: string, argv: string[]): string | null => {
      if (code === 0) {
        let output: unknown;
        try {
          output = JSON.parse(stdout);
        } catch {
          return 'exit 0 without JSON output';
        }
        return judgeOutcome(argv[0], JSON.parse(argv[2] ?? '{}'), { ok: true, output });
      }
      if (code !== 1 && code !== 2) return `exit code ${code}`;
      const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
      if (!line) return 'no JSON error on stderr';
      const error: unknown = JSON.parse(line);
      if (typeof error === 'object' && error !== null && 'Code' in error && typeof error.Code === 'string') observed.add(argv[0], error.Code);
      return judgeError(error);
    };

    const cases = hostileCases(CLI_INPROCESS_CASES, random, world);
    for (const c of cases) {
      const argv = argvOf(c);
      const streams = io();
      const parsed = parseCliArguments(argv, streams);
      const code = typeof parsed === 'number' ? parsed : await runCliOperation(parsed, { dispatch: t.core.dispatch, close: async () => undefined }, streams);
      const finding = code === 0 && argv[1] !== '--cli-input-json' ? null : judgeCli(code, streams.out.join(''), streams.err.join(''), argv);
      tally.record('cli', c.kind, code === 0 ? { ok: true, output: null } : { ok: false, error: { Code: 'InvalidParameter', Message: '', RequestId: '' } }, finding, () => argv.join(' ').slice(0, 200));
    }

    // A process's argv cannot hold NUL (no shell can pass one): it ends the string there, as execve would.
    const spawned = hostileCases(CLI_SPAWNED_CASES, random, world)
      .map(argvOf)
      .map((argv) => argv.map((a) => (a.length > 100_000 ? a.slice(0, 100_000) : a).split('\0')[0] ?? ''));
    await inBatches(spawned, 4, async (argv) => {
      const result = await runKms(argv, { env: { KMS_DATA_DIR: t.dataDir } });
      const finding = judgeCli(result.code ?? -1, result.stdout, result.stderr, argv);
      tally.record('cli-process', 'command-line', result.code === 0 ? { ok: true, output: null } : { ok: false, error: { Code: 'InvalidParameter', Message: '', RequestId: '' } }, finding, () => argv.join(' ').slice(0, 200));
    });
    expect(tally.findings).toEqual([]);
  }, 240_000);

  it('answered each operation only with error codes its contract entry declares or COMMON_ERRORS lists', () => {
    expect(observed.size).toBeGreaterThan(OPERATION_NAMES.length);
    expect(observed.undeclared()).toEqual([]);
  });

  it('left the registry, the token and the audit chain intact, and polluted no prototype', async () => {
    const after = snapshotState(t.dataDir);
    expect(after).toEqual(before);
    const verified = await t.call('VerifyAuditLog', {});
    expect(verified, JSON.stringify(verified)).toMatchObject({ Valid: true });
    const stores = await t.call('DescribeKeyStores', {});
    expect(stores.KeyStores[0]?.ConnectionState).toBe('CONNECTED'); // no worker crash (a crash disconnects)
    const roundTrip = await t.call('Decrypt', { CiphertextBlob: world.ciphertextBlob });
    expect(Buffer.from(roundTrip.Plaintext, 'base64').toString()).toBe('hostile');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(tally.total).toBeGreaterThanOrEqual(10_000);

    writeFigures({
      suite: 'R1',
      title: 'Hostile input',
      seed: SEED,
      lines: [
        `${thousands(tally.total)} generated cases over ${OPERATION_NAMES.length} operations (seed ${SEED}): ` +
          Object.entries(tally.byTransport).map(([k, v]) => `${k} ${thousands(v)}`).join(', '),
        `case kinds: ${Object.entries(tally.byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${thousands(v)}`).join(', ')}`,
        `answers: ${Object.entries(tally.byCode).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${thousands(v)}`).join(', ')}`,
        'registry tables and token object files byte-identical before/after; audit chain valid; no crash, no worker restart',
        `${observed.size} distinct operation/error-code answers, each declared by its operation or in COMMON_ERRORS`,
      ],
      findings: tally.findings,
    });
  });
});
