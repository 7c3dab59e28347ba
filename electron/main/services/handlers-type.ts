import type { OperationName, OperationResult, ParsedInput } from '../../../shared/contract';
import type { RequestContext } from './request-context';

export type OperationHandler<N extends OperationName> = (
  input: ParsedInput<N>,
  context: RequestContext,
) => Promise<OperationResult<N>>;

/** One implementation per contract entry; the compiler refuses a missing one. */
export type OperationHandlers = { [N in OperationName]: OperationHandler<N> };

/** Records a failed state-changing call (the handler's own transaction rolled back). */
export type FailureAuditor = (entry: {
  operation: OperationName;
  context: RequestContext;
  errorCode: string;
  resourceId: string;
}) => void;
