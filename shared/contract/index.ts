import type { z } from 'zod';
import { auditOperations } from './audit';
import { backupOperations } from './backup';
import { accessPointOperations } from './access-points';
import { endpointOperations } from './endpoint';
import { clusterOperations } from './clusters';
import { cryptoOperations } from './crypto';
import { keyImportOperations } from './key-import';
import { keyOperations } from './keys';
import { keyStoreOperations } from './keystores';
import { lifecycleOperations } from './lifecycle';
import { moduleOperations } from './modules';
import { reconcileOperations } from './reconcile';
import { secretOperations } from './secrets';
import { xksProxyOperations } from './xks-proxies';
import { officerOperations } from './officers';
import { ceremonyOperations } from './ceremonies';

/** The operation catalogue: one entry per operation, served identically by IPC, the browser host and the CLI. */
export const contract = {
  ...moduleOperations,
  ...keyStoreOperations,
  ...clusterOperations,
  ...keyOperations,
  ...lifecycleOperations,
  ...keyImportOperations,
  ...reconcileOperations,
  ...cryptoOperations,
  ...auditOperations,
  ...secretOperations,
  ...backupOperations,
  ...accessPointOperations,
  ...endpointOperations,
  ...xksProxyOperations,
  ...officerOperations,
  ...ceremonyOperations,
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
/** What a caller sends (defaults may be omitted). */
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
/** What a handler receives (defaults applied, validated). */
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
/** What a handler returns; the transport adds RequestId. */
export type OperationResult<N extends OperationName> = z.output<Contract[N]['result']>;
export type OperationOutput<N extends OperationName> = OperationResult<N> & { RequestId: string };

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The single client signature every surface (renderer, tests, CLI) uses. */
export type Invoke = <N extends OperationName>(name: N, input: OperationInput<N>) => Promise<OperationOutput<N>>;

export * from './enums';
export * from './primitives';
export * from './modules';
export * from './keystores';
export * from './clusters';
export * from './keys';
export * from './lifecycle';
export * from './key-import';
export * from './reconcile';
export * from './crypto';
export * from './audit';
export * from './secrets';
export * from './backup';
export * from './access-points';
export * from './endpoint';
export * from './xks-proxies';
export * from './external-key-stores';
export * from './officers';
export * from './ceremonies';
export { COMMON_ERRORS, declaresError, TOKEN_SESSION_ERRORS, type InputField, type OperationDefinition } from './define';
