/**
 * The hsm layer's public surface for the main process. The worker (worker/*), templates and
 * validation are internal: they run only inside the worker process.
 */
export * from './types';
export {
  HsmModuleClient,
  type HsmModuleClientOptions,
  type WorkerCrashEvent,
  type WorkerCrashReason,
} from './client';
export type { WorkerChannel, WorkerExitInfo, WorkerLauncher } from './worker-launcher';
export { bindToken, type HsmCaller, type HsmToken } from './token';
export { buildWorkerEnvironment, WORKER_BASE_ENVIRONMENT } from './worker-environment';
export { HsmModules, moduleSpecKey, type ClientLostListener } from './modules';
export { createNodeWorkerLauncher, defaultWorkerEntry, type NodeWorkerLauncherOptions, type WorkerEntry } from './node-launcher';
export type { HsmArgs, HsmMethod, HsmMethods, HsmResult, WorkerRequest, WorkerResponse } from './protocol';
export { parseRequest, parseResponse, reviveBuffers } from './protocol';
export { ckrErrorCode, ckrMessage, ckrName } from './ckr';
export { mechanismName } from './mechanisms';
export { curveFromEcParams, ecdsaDerToRaw, ecdsaRawToDer, type EcCurve } from './der';
export { publicKeyToJwk, publicKeyToKeyObject, publicKeyToPem, publicKeyToSpki } from './public-key';
export { ckrOf, HsmError } from './hsm-error';
