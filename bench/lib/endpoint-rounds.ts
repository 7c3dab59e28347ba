/**
 * The measurement shared by the endpoint benchmarks (P6, P7): the application process's lanes
 * calling the endpoint, against the same operation through the dispatcher in this process with as
 * many in flight, in alternating rounds so that drift in machine load hits both alike.
 */
import type { BenchCore } from './bench-core';
import type { AppRound, EndpointApp } from './endpoint-app';
import { REPORT_ONLY_GOAL, round, type BenchOptions, type BenchResult } from './result';
import { median, percentile, timedLanes } from './stats';

export interface EndpointCase {
  lanes: number;
  path: string;
  body: string;
  operation: string;
  input: Record<string, unknown>;
}

/** Per-round figures of one path: throughput, p99 latency, CPU and signing microseconds per call. */
export class Samples {
  readonly ops: number[] = [];
  readonly p99: number[] = [];
  readonly mainCpuUs: number[] = [];
  readonly appCpuUs: number[] = [];
  readonly signingUs: number[] = [];

  add(measured: { opsPerSecond: number; latenciesMs: number[] }, mainCpu: NodeJS.CpuUsage, app: Pick<AppRound, 'cpuMs' | 'signingMs'>): void {
    const calls = Math.max(1, measured.latenciesMs.length);
    this.ops.push(measured.opsPerSecond);
    this.p99.push(percentile(measured.latenciesMs, 99));
    this.mainCpuUs.push((mainCpu.user + mainCpu.system) / calls);
    this.appCpuUs.push((app.cpuMs * 1000) / calls);
    this.signingUs.push((app.signingMs * 1000) / calls);
  }
}

export interface EndpointComparison {
  endpoint: Samples;
  dispatcher: Samples;
  /** TLS connections the application opened after the warm-up (keep-alive: 0). */
  reconnections: number;
}

export async function endpointAgainstDispatcher(options: BenchOptions, bench: BenchCore, app: EndpointApp, item: EndpointCase): Promise<EndpointComparison> {
  const roundMs = options.quick ? 500 : 1500;
  const rounds = options.quick ? 3 : 7;
  const dispatch = async (): Promise<void> => {
    const outcome = await bench.core.dispatch(item.operation, item.input, { transport: 'internal' });
    if (!outcome.ok) throw new Error(`${item.operation}: ${outcome.error.Code} ${outcome.error.Message}`);
  };
  // Warm both paths: worker sessions, handle caches, JIT, and every lane's keep-alive connection
  // (a new one costs the application its PKCS#12 decoding, 100,000 PBKDF2 iterations, and a handshake).
  for (let warmup = 0; warmup < 10; warmup += 1) {
    if ((await app.round(item.path, item.body, 300)).connectionsOpened === 0) break;
  }
  await timedLanes(300, item.lanes, dispatch);
  const comparison: EndpointComparison = { endpoint: new Samples(), dispatcher: new Samples(), reconnections: 0 };
  for (let r = 0; r < rounds; r += 1) {
    const endpointCpu = process.cpuUsage();
    const overEndpoint = await app.round(item.path, item.body, roundMs);
    comparison.endpoint.add(overEndpoint, process.cpuUsage(endpointCpu), overEndpoint);
    comparison.reconnections += overEndpoint.connectionsOpened;
    const dispatcherCpu = process.cpuUsage();
    const inProcess = await timedLanes(roundMs, item.lanes, dispatch);
    comparison.dispatcher.add(inProcess, process.cpuUsage(dispatcherCpu), { cpuMs: 0, signingMs: 0 });
  }
  return comparison;
}

/** Medians over the rounds: throughputs, p99 latencies and the endpoint's share of the dispatcher's throughput. */
function mediansOf(comparison: EndpointComparison): { ops: { endpoint: number; dispatcher: number }; p99: { endpoint: number; dispatcher: number }; ratio: number } {
  const ops = { endpoint: median(comparison.endpoint.ops), dispatcher: median(comparison.dispatcher.ops) };
  const p99 = { endpoint: median(comparison.endpoint.p99), dispatcher: median(comparison.dispatcher.p99) };
  return { ops, p99, ratio: ops.endpoint / ops.dispatcher };
}

export interface EndpointRowsSpec {
  /** Starts with the benchmark id, e.g. `P6 Encrypt AES-256-GCM 1 KiB`. */
  name: string;
  /** In parentheses after the name, e.g. `endpoint, 16 mTLS clients`. */
  setting: string;
  lanes: number;
  /** Share of the dispatcher's throughput to reach; null: the throughput is only reported. */
  throughputGoal: number | null;
  p99GoalMs: number;
}

/** Logs the medians and where the CPU time went; returns the throughput and p99 rows. */
export function endpointRows(options: BenchOptions, spec: EndpointRowsSpec, comparison: EndpointComparison): BenchResult[] {
  const { ops, p99, ratio } = mediansOf(comparison);
  options.log(
    `${spec.name}: endpoint ${ops.endpoint.toFixed(0)} ops/s (p99 ${p99.endpoint.toFixed(1)} ms), dispatcher ${ops.dispatcher.toFixed(0)} ops/s (p99 ${p99.dispatcher.toFixed(1)} ms), ratio ${ratio.toFixed(3)}`,
  );
  // Where the time goes: CPU per call in this (Keyward's) process, and in the application's.
  options.log(
    `  CPU per call: Keyward process ${median(comparison.endpoint.mainCpuUs).toFixed(0)} µs over the endpoint, ${median(comparison.dispatcher.mainCpuUs).toFixed(0)} µs through the dispatcher; application process ${median(comparison.endpoint.appCpuUs).toFixed(0)} µs; ${comparison.reconnections} new TLS connections after the warm-up`,
  );
  return [
    {
      name: `${spec.name} (${spec.setting})`,
      keyward: round(ops.endpoint, 0),
      baseline: round(ops.dispatcher, 0),
      unit: 'ops/s',
      ratio: round(ratio),
      goal: spec.throughputGoal === null ? REPORT_ONLY_GOAL : `>= ${spec.throughputGoal} of the dispatcher`,
      met: spec.throughputGoal === null ? true : ratio >= spec.throughputGoal,
      note: `baseline: the dispatcher in-process, ${spec.lanes} in flight`,
    },
    {
      name: `${spec.name} p99 latency (${spec.setting})`,
      keyward: round(p99.endpoint, 2),
      baseline: round(p99.dispatcher, 2),
      unit: 'ms',
      ratio: round(p99.dispatcher / p99.endpoint),
      goal: `< ${spec.p99GoalMs} ms`,
      met: p99.endpoint < spec.p99GoalMs,
      note: `median of the rounds' p99; baseline: the dispatcher's p99 at ${spec.lanes} in flight`,
    },
  ];
}
