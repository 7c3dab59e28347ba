import type { CallOutcome } from '../shared/bridge';
import type { OperationInput, OperationName, OperationOutput } from '../shared/contract';
import type { KmsErrorBody } from '../shared/errors';
import { callOverSocket } from './host-session';

/** A typed client of Keyward's operation contract: the same operations the console calls. */
export interface KmsClient {
  /** Resolves with the operation's typed output; rejects with a `KmsCallError` carrying its `Code`. */
  call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
}

/** An operation the core refused: `code` is the contract's error code (e.g. `NotFound.Key`). */
export class KmsCallError extends Error {
  readonly code: string;
  readonly requestId: string;
  constructor(operation: string, error: KmsErrorBody) {
    super(`${operation} failed: ${error.Code}: ${error.Message}`);
    this.name = 'KmsCallError';
    this.code = error.Code;
    this.requestId = error.RequestId;
  }
}

/** Builds a client over any transport that answers the dispatcher's outcome (WebSocket, window.kms). */
export function kmsClientOver(send: (operation: string, input: unknown) => Promise<CallOutcome>): KmsClient {
  return {
    async call<N extends OperationName>(operation: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      const outcome = await send(operation, input);
      if (!outcome.ok) throw new KmsCallError(operation, outcome.error);
      // The core validated the output against the same contract before sending it.
      return outcome.output as OperationOutput<N>;
    },
  };
}

/**
 * A client on the browser host's WebSocket with the session cookie of the test's console (one
 * socket per call, the host's own Origin), so calls run in the same session as the page.
 */
export function hostKmsClient(host: { url: string; sessionCookie: string }): KmsClient {
  if (!host.sessionCookie) throw new Error('the kms client needs the session opened at launch');
  return kmsClientOver((operation, input) => callOverSocket(host.url, host.sessionCookie, operation, input));
}
