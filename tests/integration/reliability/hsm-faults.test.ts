/**
 * R2 (HSM layer part): a network HSM is a SoftHSM2 token served by `p11-kit server` and reached
 * through p11-kit-client.so in a worker. The server is SIGKILLed mid-operation 20 times while
 * ECDSA signatures are in flight. Every call must settle with a signature or a typed HsmError
 * (never hang, never an untyped error), the client must recycle its worker after CKR_DEVICE_ERROR,
 * and after the server is back a fresh login signs again. The cluster-level part (a member
 * killed under a cluster key store: DEGRADED, failover, resync) is cluster-faults.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { writeFigures } from './support/figures';
import { Random, suiteSeed } from './support/random';

const P11_KIT_CLIENT = '/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so';
const FAULTS = Number(process.env.KEYWARD_HSM_FAULTS ?? 20);
const SO_PIN = 'so-Fault-4711';
const USER_PIN = 'user-Fault-0815';
const LABEL = 'kw-fault';
const SEED = suiteSeed(0x5eed_0002);
const available = existsSync(P11_KIT_CLIENT) && existsSync('/usr/bin/p11-kit');

let fixture: SoftHsmFixture;
let direct: HsmModuleClient;
let serial = '';
let socket = '';
let server: ChildProcess | null = null;
const objectId = 'f0'.repeat(16);

async function startServer(): Promise<void> {
  const runtime = path.join(fixture.dir, 'run');
  mkdirSync(runtime, { recursive: true });
  rmSync(socket, { force: true });
  // Its own process group: the server forks a process per client connection, and a fault must
  // take those down too (killing only the parent leaves the connection served).
  server = spawn('p11-kit', ['server', '-f', '-n', socket, '--provider', fixture.moduleSpec.path, `pkcs11:token=${LABEL}`], {
    env: { ...process.env, ...fixture.moduleSpec.env, XDG_RUNTIME_DIR: runtime },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100 && !existsSync(socket); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(socket)) throw new Error('p11-kit server did not create its socket');
}

async function killServer(): Promise<void> {
  const running = server;
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(-running.pid!, 'SIGKILL');
  await exited;
  server = null;
}

beforeAll(async () => {
  if (!available) return;
  fixture = await createSoftHsmFixture('keyward-faults-');
  socket = path.join(fixture.dir, 'p11-kit.sock');
  direct = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
  ({ serial } = await direct.initToken({ soPin: SO_PIN, label: LABEL }));
  await direct.initUserPin({ serial, soPin: SO_PIN, userPin: USER_PIN });
  await direct.login({ serial, userPin: USER_PIN });
  await direct.generateKey({ serial, objectId, label: 'fault-ec', spec: { kind: 'EC', curve: 'P-256' }, policy: { wrapWithTrusted: false, extractable: false } });
  await direct.close(); // the token now belongs to the p11-kit server
  await startServer();
}, 120_000);

afterAll(async () => {
  if (!available) return;
  await killServer();
  await fixture.cleanup();
});

describe('R2 HSM faults: p11-kit server killed mid-operation', () => {
  it.skipIf(!available)(`settles every in-flight call with a typed error and recovers, ${FAULTS} times`, async () => {
    const random = new Random(SEED);
    const client = new HsmModuleClient({ path: P11_KIT_CLIENT, env: { P11_KIT_SERVER_ADDRESS: `unix:path=${socket}` } }, {
      launcher: createNodeWorkerLauncher(),
      callTimeoutMs: 15_000,
    });
    let crashes = 0;
    client.on('crashed', () => void (crashes += 1));
    const codes: Record<string, number> = {};
    let signed = 0;
    let untyped = 0;
    const recoveries: number[] = [];
    const digest = Buffer.alloc(32, 7);
    try {
      for (let fault = 0; fault < FAULTS; fault += 1) {
        await client.login({ serial, userPin: USER_PIN });
        let stop = false;
        const lane = async (): Promise<void> => {
          while (!stop) {
            try {
              const signature = await client.sign({ serial, objectId, mechanism: 'ECDSA', data: digest });
              expect(signature.length).toBe(64);
              signed += 1;
            } catch (error) {
              const code = (error as { code?: unknown }).code;
              if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) codes[code] = (codes[code] ?? 0) + 1;
              else untyped += 1;
              return; // this lane saw the fault
            }
          }
        };
        const lanes = Array.from({ length: 4 }, lane);
        await new Promise((r) => setTimeout(r, 20 + random.int(200)));
        await killServer();
        await Promise.race([Promise.all(lanes), new Promise((r) => setTimeout(r, 20_000))]);
        stop = true;
        await Promise.all(lanes);

        // Back up: the next call must find its way to a working module again (new worker, new login).
        const started = Date.now();
        await startServer();
        let recovered = false;
        for (let attempt = 0; attempt < 40 && !recovered; attempt += 1) {
          try {
            await client.login({ serial, userPin: USER_PIN });
            await client.sign({ serial, objectId, mechanism: 'ECDSA', data: digest });
            recovered = true;
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        expect(recovered, `fault ${fault}: no recovery`).toBe(true);
        recoveries.push(Date.now() - started);
      }
    } finally {
      await client.close();
    }
    expect(untyped).toBe(0);
    expect(Object.keys(codes).length).toBeGreaterThan(0);
    writeFigures({
      suite: 'R2',
      title: 'HSM faults',
      seed: SEED,
      lines: [
        `${FAULTS} SIGKILLs of the p11-kit server under 4 concurrent ECDSA signing lanes (seed ${SEED}): ${signed} signatures, failed calls all typed (${Object.entries(codes).map(([k, v]) => `${k} ${v}`).join(', ')}), 0 untyped, 0 hung`,
        `the client recycled its worker ${crashes} times; recovery after the server came back (restart + login + sign) took ${Math.min(...recoveries)}-${Math.max(...recoveries)} ms`,
      ],
      findings: [],
    });
  }, 300_000);
});
