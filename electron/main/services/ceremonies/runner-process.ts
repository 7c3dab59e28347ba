/**
 * Which process runs a ceremony step. A step is RUNNING from just before its operation starts to
 * just after it ends; a RUNNING step whose process is gone was interrupted and is settled from the
 * audit chain, but one whose process still lives is being run right now (two `kms` processes may
 * share a data directory) and must be left alone, or its operation could run twice.
 *
 * A process is named by its pid and its start time (field 22 of /proc/<pid>/stat), so a pid reused
 * by another process after a crash does not pass for the one that ran the step.
 */
import { readFileSync } from 'node:fs';

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

let own: string | null = null;

/** This process, as recorded in a RUNNING step. */
export function ownRunnerProcess(): string {
  own ??= `${process.pid}:${startTimeOf(process.pid) ?? 'unknown'}`;
  return own;
}

/** True while the process recorded as `runner` still runs (and is not this one). */
export function isOtherRunnerAlive(runner: string | null): boolean {
  if (runner === null || runner === ownRunnerProcess()) return false;
  const [pidText, startTime] = runner.split(':');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const current = startTimeOf(pid);
  if (current !== null) return current === startTime;
  // No /proc (not Linux): whether the pid exists is the best that can be known.
  if (startTime !== 'unknown') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
