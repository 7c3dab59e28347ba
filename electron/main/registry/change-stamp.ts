import type Database from 'better-sqlite3';

/** The registries open in this process, each with its connection's change counter. */
const openConnections = new Set<() => number>();
/** Moves on every open and close, so the sum below never repeats an earlier set's value. */
let generation = 0;

/**
 * What `Registry.changeStamp` is made of. Writes in this process, on any of its connections, are
 * counted at once (`total_changes()`, ~0.2 µs each). A commit by another process is found with
 * `PRAGMA data_version`, which opens a read of the WAL index (~6.5 µs, too much for every crypto
 * call): it is read once per event-loop turn. A request that reaches this process after another
 * process committed (over IPC, a socket, a pipe) starts a later turn, so it sees the change.
 */
export function trackChanges(db: Database.Database): { stamp(): string; untrack(): void } {
  const ownChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const otherCommits = db.prepare<[], number>('PRAGMA data_version').pluck();
  const changes = (): number => ownChanges.get() ?? 0;
  let otherCommitsThisTurn: number | null = null;
  const forgetOtherCommits = (): void => {
    otherCommitsThisTurn = null;
  };
  openConnections.add(changes);
  generation += 1;
  return {
    stamp() {
      if (otherCommitsThisTurn === null) {
        otherCommitsThisTurn = otherCommits.get() ?? 0;
        setImmediate(forgetOtherCommits);
      }
      let processChanges = 0;
      for (const count of openConnections) processChanges += count();
      return `${generation}.${processChanges}:${otherCommitsThisTurn}`;
    },
    untrack() {
      if (openConnections.delete(changes)) generation += 1;
    },
  };
}
