import type Database from 'better-sqlite3';

interface TrackedConnection {
  db: Database.Database;
  /** `total_changes()` of the connection. */
  changes: () => number;
}

/** The registries open in this process. */
const openConnections = new Set<TrackedConnection>();
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
  const connection: TrackedConnection = { db, changes };
  openConnections.add(connection);
  generation += 1;
  return {
    stamp() {
      if (otherCommitsThisTurn === null) {
        otherCommitsThisTurn = otherCommits.get() ?? 0;
        setImmediate(forgetOtherCommits);
      }
      let processChanges = 0;
      for (const entry of openConnections) {
        if (entry.db.open) processChanges += entry.changes();
        // Closed without Registry.close(): it writes no more, and leaving the sum changes the generation.
        else untrack(entry);
      }
      return `${generation}.${processChanges}:${otherCommitsThisTurn}`;
    },
    untrack: () => untrack(connection),
  };
}

function untrack(connection: TrackedConnection): void {
  if (openConnections.delete(connection)) generation += 1;
}
