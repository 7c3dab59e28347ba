import type { ApplicationCall } from '../../../../shared/contract';

export type { ApplicationCall } from '../../../../shared/contract';

/** How many application calls the endpoint card shows (the audit log keeps them all). */
export const RECENT_CALLS_KEPT = 50;

/** The latest application calls in memory, newest first; the oldest falls off when full. */
export class RecentCalls {
  private readonly calls: ApplicationCall[] = [];

  constructor(private readonly capacity = RECENT_CALLS_KEPT) {}

  add(call: ApplicationCall): void {
    this.calls.unshift(call);
    if (this.calls.length > this.capacity) this.calls.length = this.capacity;
  }

  list(): ApplicationCall[] {
    return this.calls.map((call) => ({ ...call }));
  }
}
