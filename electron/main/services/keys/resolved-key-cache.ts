import type { KeyRow, KeyVersionRow, Registry } from '../../registry';

/** Enough for every key a busy console uses at once; beyond it the cache starts over rather than tracking age. */
const MAX_ENTRIES = 4096;

/**
 * Registry rows the crypto path reads on every call (the key an identifier names, a key version),
 * kept while the registry's change stamp stays the same. The stamp moves on any write of this
 * connection and on any commit of another one (a second core, the CLI), so a key disabled, rotated
 * or deleted anywhere is read afresh by the very next call; rows are frozen because callers share them.
 */
export class ResolvedKeyCache {
  private readonly keys = new Map<string, KeyRow>();
  private readonly versions = new Map<string, KeyVersionRow>();
  private registry: Registry | null = null;
  private stamp = '';

  /** Call first on every lookup: drops everything when the registry may have changed since the rows were read. */
  refresh(registry: Registry): void {
    const stamp = registry.changeStamp();
    if (stamp === this.stamp && registry === this.registry) return;
    this.keys.clear();
    this.versions.clear();
    this.registry = registry;
    this.stamp = stamp;
  }

  key(identifier: string): KeyRow | undefined {
    return this.keys.get(identifier);
  }

  rememberKey(identifier: string, row: KeyRow): KeyRow {
    if (this.keys.size >= MAX_ENTRIES) this.keys.clear();
    const frozen = Object.freeze(row);
    this.keys.set(identifier, frozen);
    return frozen;
  }

  version(id: string): KeyVersionRow | undefined {
    return this.versions.get(id);
  }

  rememberVersion(row: KeyVersionRow): KeyVersionRow {
    if (this.versions.size >= MAX_ENTRIES) this.versions.clear();
    const frozen = Object.freeze(row);
    this.versions.set(row.id, frozen);
    return frozen;
  }
}
