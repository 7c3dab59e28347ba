import type { Dispatch, DispatchContext } from '../transports/dispatcher';

export type CallContext = DispatchContext;

/** The composed main-process core: one dispatcher that every transport binds to. */
export interface Core {
  /** Validates `input` against the contract, runs the handler, never throws. */
  dispatch: Dispatch;
  close(): Promise<void>;
}
