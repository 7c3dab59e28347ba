/**
 * `keyward/testing`: drive Keyward from Playwright. See README "Testing your procedures with
 * Playwright" and docs/test-ids.md (the console's stable test ids).
 */
export { CONSOLE_LANGUAGES, expect, test, type ConsoleLanguage, type Keyward, type KeywardOptions } from './fixture';
export { hostKmsClient, KmsCallError, kmsClientOver, type KmsClient } from './kms-client';
export { launchHost, type KeywardHost, type LaunchedHost, type LaunchOptions } from './launch';
export { electronBinary, launchElectron, type LaunchedElectron } from './electron';
export { createLabHsms, SOFTHSM_MODULE, type LabHsm } from './lab-hsms';
export { choose, visibleOptions } from './naive-ui';
export * from './pages';
export { buildConsole } from './console-build';
export { CHROMIUM, CHROMIUM_ARGS } from './paths';
export type { OperationInput, OperationName, OperationOutput } from '../shared/contract';
