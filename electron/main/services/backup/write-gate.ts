import { KmsError } from '../../../../shared/errors';

/**
 * Keeps state changes out of a backup's snapshot. Every state-changing operation (and maintenance
 * round) runs as a shared holder; a backup takes the gate exclusively, which waits for the holders
 * in flight and holds new ones back until its snapshot of the registry and the token files is
 * taken, so the two agree. Reads and crypto calls never pass the gate and keep being served.
 */
export class WriteGate {
  private holders = 0;
  private drained: (() => void) | null = null;
  private barrier: Promise<void> | null = null;
  private sealed = false;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.barrier) await this.barrier;
    if (this.sealed) throw reopening();
    this.holders += 1;
    try {
      return await work();
    } finally {
      this.holders -= 1;
      if (this.holders === 0) this.drained?.();
    }
  }

  /** Runs `work` with no state change in flight; one exclusive holder at a time. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.barrier) throw new KmsError('Forbidden.BackupInProgress', 'A backup or restore is already running; wait for it to finish.');
    let release!: () => void;
    this.barrier = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.holders > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await work();
    } finally {
      this.barrier = null;
      release();
    }
  }

  /**
   * After a restore's commit: this core's state is about to be replaced, so nothing may change it
   * any more. Holders waiting at the gate (a maintenance round) are refused, not left waiting for a
   * core that is closing (whose close waits for them).
   */
  seal(): void {
    this.sealed = true;
  }

  get busy(): boolean {
    return this.barrier !== null;
  }
}

function reopening(): KmsError {
  return new KmsError('Forbidden.BackupInProgress', 'Keyward is reopening the restored data directory; try again in a moment.');
}
