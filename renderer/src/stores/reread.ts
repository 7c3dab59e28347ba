/**
 * The re-reads a store starts after a change. Their failure is not the change's: "Delete failed"
 * for a deletion that happened would invite a second attempt (a second key store, a refused
 * delete). The page keeps the rows it had; a store that keeps a read error (key stores) shows it,
 * and the next refresh reads again.
 */
export async function rereadAfterChange(...reads: Promise<unknown>[]): Promise<void> {
  await Promise.all(reads.map((read) => read.catch(() => undefined)));
}
