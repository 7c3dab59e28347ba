import type { FileExchange } from '../services/files/file-exchange';
import type { MaintenanceReport } from '../services/keys/key-maintenance';
import type { Dispatch, DispatchContext } from '../transports/dispatcher';

export type CallContext = DispatchContext;

/** The composed main-process core: one dispatcher that every transport binds to. */
export interface Core {
  /** Validates `input` against the contract, runs the handler, never throws. */
  dispatch: Dispatch;
  /** Carries out due deletions, rotations and expiries now (also runs on connect and on a timer). */
  runMaintenance(): Promise<MaintenanceReport>;
  /** Files operations make or read, delivered and staged by the transports (never named by the renderer). */
  files: FileExchange;
  close(): Promise<void>;
}
