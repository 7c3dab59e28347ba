import { createPinia, setActivePinia } from 'pinia';
import type { OperationInput, OperationName, OperationResult } from '../../../../shared/contract';
import type { ProgressEvent } from '../../../../shared/wire';
import { installTransport, KmsClientError } from '../../../../renderer/src/api/client';
import type { ConnectionStatus } from '../../../../renderer/src/api/transport';

/** How the fake host answers each operation a test expects (RequestId is added here, as the host does). */
export type FakeOperations = {
  [N in OperationName]?: (input: OperationInput<N>) => OperationResult<N> | Promise<OperationResult<N>>;
};

export interface RecordedCall {
  operation: string;
  input: unknown;
}

/**
 * A fresh Pinia and a fake host behind the real `invoke`: the stores run unchanged, the test says
 * what each operation answers and reads back which operations were called with what.
 */
export function fakeHost(operations: FakeOperations) {
  setActivePinia(createPinia());
  const calls: RecordedCall[] = [];
  const progressListeners = new Set<(event: ProgressEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let requests = 0;
  const failures = new Map<string, Error>();
  installTransport({
    kind: 'ws',
    async call(operation, input) {
      calls.push({ operation, input });
      const failure = failures.get(operation);
      if (failure) throw failure;
      const answer = (operations as Record<string, ((input: unknown) => unknown) | undefined>)[operation];
      if (!answer) throw new KmsClientError('InvalidAction', `the fake host has no answer for ${operation}`);
      const result = await answer(input);
      return { ...(result as object), RequestId: `req-${++requests}` };
    },
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  });
  return {
    calls,
    /** The operations called, in order. */
    operations: (): string[] => calls.map((call) => call.operation),
    inputsOf: (operation: OperationName): unknown[] => calls.filter((call) => call.operation === operation).map((call) => call.input),
    progress: (event: ProgressEvent): void => progressListeners.forEach((listener) => listener(event)),
    status: (status: ConnectionStatus): void => statusListeners.forEach((listener) => listener(status)),
    /** From now on `operation` fails with `error` (e.g. the re-read after a change). */
    fail: (operation: OperationName, error: Error): void => {
      failures.set(operation, error);
    },
  };
}

/** A row the store passes through without reading: only the fields the test looks at. */
export function stub<T>(fields: Partial<T>): T {
  return fields as T;
}

/** One page of a fake list of `count` rows, as the List operations answer it (at most PageSize rows). */
export function pageOf<Row>(input: { PageNumber?: number; PageSize?: number }, count: number, row: (index: number) => Row) {
  const page = input.PageNumber ?? 1;
  const size = input.PageSize ?? 10;
  const first = (page - 1) * size;
  const rows = Array.from({ length: Math.max(0, Math.min(size, count - first)) }, (_, offset) => row(first + offset));
  return { rows, TotalCount: count, PageNumber: page, PageSize: size };
}
