/**
 * CPU profiles of the P1 path, for finding where the per-operation time goes:
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/profile-p1.ts [Encrypt|Sign|Mac] [seconds] [DIR] [dispatcher|ws]`
 * keeps 64 calls in flight through the dispatcher (or the browser host's WebSocket) for `seconds`; the HSM worker writes its own
 * profile into DIR too (it is started with `--cpu-prof`; DIR `-` leaves both unprofiled). It also prints the CPU time per call of
 * both processes (user and system, every thread): on a shared machine that moves far less with
 * the load than throughput does. Linux only (/proc). Not part of `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createNodeWorkerLauncher } from '../electron/main/hsm/node-launcher';
import { startBenchCore } from './lib/bench-core';
import { opsPerSecondAsync } from './lib/stats';
import { connectWsHost } from './lib/ws-client';

const [which = 'Encrypt', seconds = '5', dir = '/tmp/keyward-prof', path = 'dispatcher'] = process.argv.slice(2);
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// DIR `-`: no worker profile, for CPU-per-call figures without the profiler's own cost.
const profile = dir === '-' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
const launcher = createNodeWorkerLauncher({ execArgv: ['--import', tsx, ...profile] });
const bench = await startBenchCore(launcher);
try {
  const message = randomBytes(1024).toString('base64');
  let op: string;
  let input: unknown;
  if (which === 'Sign') {
    const key = (await bench.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' })).KeyMetadata;
    op = 'AsymmetricSign';
    input = { KeyId: key.KeyId, Algorithm: 'ECDSA_SHA_256', Digest: randomBytes(32).toString('base64') };
  } else if (which === 'Mac') {
    const key = (await bench.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC' })).KeyMetadata;
    op = 'GenerateMac';
    input = { KeyId: key.KeyId, Message: message };
  } else {
    const key = (await bench.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })).KeyMetadata;
    op = 'Encrypt';
    input = { KeyId: key.KeyId, Plaintext: message };
  }
  const ws = path === 'ws' ? await connectWsHost(bench.core.dispatch) : null;
  const call = async (): Promise<void> => {
    if (ws) {
      const message = await ws.call(op, input);
      if (message.kind !== 'result') throw new Error(`${op} over WebSocket: ${JSON.stringify(message)}`);
      return;
    }
    const outcome = await bench.core.dispatch(op, input, { transport: 'internal' });
    if (!outcome.ok) throw new Error(`${op}: ${outcome.error.Code} ${outcome.error.Message}`);
  };
  await opsPerSecondAsync(300, 64, call);
  const worker = workerPid();
  const mainBefore = process.cpuUsage();
  const workerBefore = cpuMicros(worker);
  const workerSystemBefore = systemMicros(worker);
  let calls = 0;
  const rate = await opsPerSecondAsync(Number(seconds) * 1000, 64, async () => {
    await call();
    calls += 1;
  });
  const main = process.cpuUsage(mainBefore);
  const workerUs = cpuMicros(worker) - workerBefore;
  const workerSystemUs = systemMicros(worker) - workerSystemBefore;
  await ws?.close();
  console.log(`${op}: ${rate.toFixed(0)} ops/s through the ${ws ? 'WebSocket' : 'dispatcher'}, 64 in flight`);
  console.log(`CPU per call: main ${((main.user + main.system) / calls).toFixed(0)} µs, worker ${(workerUs / calls).toFixed(0)} µs${profile.length > 0 ? ' (its profiler included)' : ''}`);
  // The kernel's share: pipe reads and writes, and waking the other process.
  console.log(`  of which in the kernel: main ${(main.system / calls).toFixed(0)} µs, worker ${(workerSystemUs / calls).toFixed(0)} µs`);
} finally {
  await bench.close();
}

/** The HSM worker: this process's child running hsm/worker/main. */
function workerPid(): number {
  const children = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const line = children.find((entry) => entry.includes('hsm/worker/main'));
  if (!line) throw new Error('no HSM worker process found');
  return Number(line.trim().split(' ')[0]);
}

/** utime + stime of a process (all its threads) in µs; /proc counts in clock ticks of 10 ms. */
function cpuMicros(pid: number): number {
  const [user, system] = statTimes(pid);
  return (user + system) * 10_000;
}

/** stime alone, in µs. */
function systemMicros(pid: number): number {
  return statTimes(pid)[1] * 10_000;
}

function statTimes(pid: number): [user: number, system: number] {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return [Number(fields[11]), Number(fields[12])];
}
