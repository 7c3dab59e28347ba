/**
 * The environment a PKCS#11 worker process starts with: a fixed minimal base plus the module's
 * own allowlisted variables, never the parent's process.env. The parent may hold key store
 * passwords (KMS_DEFAULT_KEYSTORE_PASSWORD, --pin-env variables) and loader switches
 * (NODE_OPTIONS, LD_PRELOAD) that must not reach a process that loads a vendor library.
 * Both launchers (Node and Electron) build it here.
 */
import { moduleEnvironmentProblem } from '../../../shared/contract/module-environment';
import { KmsError } from '../../../shared/errors';

/**
 * PATH: libraries that run helpers (e.g. a vendor's connector) find them in the system
 * directories only. LANG: a UTF-8 locale for messages and paths. Nothing else is needed: Node
 * and tsx fall back to /tmp and the password database for TMPDIR and HOME (measured: a worker
 * started with only these two loads SoftHSM2 and p11-kit-client.so).
 */
export const WORKER_BASE_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
});

/**
 * The worker's complete environment. Throws HsmError.ModuleLoadFailed when the module's
 * environment breaks the allowlist: a registry row written before the rule existed is refused
 * here rather than used.
 */
export function buildWorkerEnvironment(
  moduleEnv: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>> = WORKER_BASE_ENVIRONMENT,
): Record<string, string> {
  const problem = moduleEnvironmentProblem(moduleEnv);
  if (problem) {
    throw new KmsError(
      'HsmError.ModuleLoadFailed',
      `The module's environment is not accepted: ${problem.message} Deregister the module and register it again.`,
    );
  }
  return { ...base, ...moduleEnv };
}
