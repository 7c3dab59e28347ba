/**
 * The AuditAnchorer keeps the anchor in the default key store's HSM at the head of the audit log.
 * Appends only schedule it (debounced), so no request waits for the HSM and a failed anchor never
 * fails an operation: it is reported and retried on the next change. It needs the officer's login,
 * so it works while the default key store is connected; records written meanwhile are anchored
 * when it connects again.
 *
 * It never moves an anchor over a log that does not extend it: a rewritten log would otherwise be
 * vouched for at the next connect and the evidence gone. The anchor stays, and VerifyAuditLog
 * reports the mismatch.
 */
import { extendChain, type AuditHead } from '../../registry';
import { DEFAULT_KEY_STORE_ID } from '../keystores/default-key-store';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import { isoNow, type ServiceContext } from '../service-context';
import { AuditAnchorStore } from './anchor-store';

export type AnchorOutcome = 'ANCHORED' | 'UP_TO_DATE' | 'NOT_CONNECTED' | 'EMPTY_LOG' | 'REFUSED' | 'FAILED';

export interface AuditAnchorerOptions {
  /** How long after a change the anchor follows; changes meanwhile share one write. Default 1 s. */
  delayMs?: number;
  /** Where failures and refusals go (never a secret: codes and sequence numbers only). */
  onProblem?: (message: string) => void;
}

/** Records walked per step when checking that the log extends the anchor; the event loop runs in between. */
const WALK_CHUNK = 2_000;

/** The logged-in token of the default key store, or null while it is not connected. */
export function defaultStoreToken(connections: KeyStoreConnections): TokenHandle | null {
  if (connections.get(DEFAULT_KEY_STORE_ID).state !== 'CONNECTED') return null;
  return connections.tokensOf(DEFAULT_KEY_STORE_ID)[0] ?? null;
}

export class AuditAnchorer {
  private readonly delayMs: number;
  private readonly onProblem: (message: string) => void;
  private readonly unsubscribe: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastProblem: string | null = null;
  private closed = false;

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly store = new AuditAnchorStore(),
    options: AuditAnchorerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1_000;
    this.onProblem = options.onProblem ?? ((message) => console.warn(`audit anchor: ${message}`));
  }

  /** Follows every append, and every connect of the default key store. */
  start(): void {
    this.unsubscribe.push(this.context.registry.audit.onAppend(() => this.schedule()));
    this.unsubscribe.push(
      this.connections.onConnected((keyStoreId) => {
        if (keyStoreId === DEFAULT_KEY_STORE_ID) this.schedule();
      }),
    );
  }

  schedule(): void {
    if (this.closed || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.anchorNow();
    }, this.delayMs);
    // A pending anchor must not keep a CLI process alive: close() anchors before the exit.
    this.timer.unref();
  }

  /** Anchors the current head now, after any run in progress. Never rejects. */
  anchorNow(): Promise<AnchorOutcome> {
    const run = this.queue.then(() => this.anchorOnce());
    const settled = run.catch((error: unknown): AnchorOutcome => {
      // Locked meanwhile (the logout won the race): nothing to report, the next connect anchors.
      if (!defaultStoreToken(this.connections)) return 'NOT_CONNECTED';
      this.report(`not written (${failureName(error)}); retried on the next change`);
      return 'FAILED';
    });
    this.queue = settled;
    return settled;
  }

  /**
   * Runs `work` between anchor writes: no anchor changes the token while it runs (a backup copies
   * the token files then). Anchors due meanwhile follow afterwards.
   */
  hold<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The last anchor before the core closes; nothing is scheduled afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.anchorNow();
  }

  private async anchorOnce(): Promise<AnchorOutcome> {
    const token = defaultStoreToken(this.connections);
    if (!token) return 'NOT_CONNECTED';
    const last = this.context.registry.audit.last();
    if (!last) return 'EMPTY_LOG';
    const reading = await this.store.read(token.hsm);
    if (reading.status === 'INVALID') return this.refuse(`${reading.reason}; it is left as it is for VerifyAuditLog to report`);
    let head: AuditHead = { sequence: last.sequence, hash: last.hash };
    if (reading.status === 'VALID') {
      // Never backwards: a log shorter than its anchor is exactly what VerifyAuditLog must see.
      if (reading.anchor.sequence >= last.sequence) return 'UP_TO_DATE';
      const extension = await this.walk(reading.anchor, last.sequence);
      if (!extension.ok) {
        return this.refuse(`the log does not extend the anchor at record ${reading.anchor.sequence} (${extension.reason}); the anchor is not moved`);
      }
      head = extension.head;
    }
    await this.store.write(token.hsm, { sequence: head.sequence, hash: head.hash, time: isoNow(this.context) });
    this.lastProblem = null;
    return 'ANCHORED';
  }

  /** Checks, chunk by chunk, that records after the anchor up to `target` chain onto it. */
  private async walk(anchor: AuditHead, target: number): Promise<{ ok: true; head: AuditHead } | { ok: false; reason: string }> {
    const { audit } = this.context.registry;
    if (audit.get(anchor.sequence)?.hash !== anchor.hash) return { ok: false, reason: `record ${anchor.sequence} differs from it` };
    let head = anchor;
    while (head.sequence < target) {
      const records = audit.listRecords(head.sequence + 1, Math.min(WALK_CHUNK, target - head.sequence));
      if (records.length === 0) break;
      const step = extendChain(head, records);
      if (!step.ok) return { ok: false, reason: step.reason };
      head = step.head;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { ok: true, head };
  }

  private refuse(message: string): AnchorOutcome {
    this.report(message);
    return 'REFUSED';
  }

  /** Says each distinct problem once, not at every change. */
  private report(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.onProblem(message);
  }
}

function failureName(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') return String((error as { code: string }).code);
  return error instanceof Error ? error.name : 'unexpected failure';
}
