import { utilityProcess } from 'electron';
import { buildWorkerEnvironment, type WorkerChannel, type WorkerExitInfo, type WorkerLauncher, type WorkerRequest } from '../hsm';

/**
 * Runs each PKCS#11 worker in an Electron utility process: the Electron counterpart of the hsm
 * layer's Node launcher (hsm/node-launcher.ts), with the same contract. A native crash inside
 * pkcs11js then costs one worker restart, not the app, and the module's environment
 * (SOFTHSM2_CONF, P11_KIT_SERVER_ADDRESS) is in place before the library is loaded.
 *
 * `workerPath` is the bundled worker, out/main/hsm-worker.js next to the main bundle. On the worker
 * side hsm/worker/channel.ts talks to `process.parentPort`.
 */
export function createElectronLauncher(workerPath: string): WorkerLauncher {
  return {
    launch(env: Record<string, string>): WorkerChannel {
      const child = utilityProcess.fork(workerPath, [], {
        env: buildWorkerEnvironment(env),
        serviceName: 'keyward-hsm',
        // stdout unused; stderr visible for native crash reports (the worker logs no secrets).
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      let exited = false;
      const exitListeners: Array<(info: WorkerExitInfo) => void> = [];
      let exitInfo: WorkerExitInfo = { code: null, signal: null };
      // utilityProcess reports a code only; a crash shows as a non-zero code with no signal name.
      child.on('exit', (code: number) => {
        if (exited) return;
        exited = true;
        exitInfo = { code, signal: null };
        for (const listener of exitListeners) listener(exitInfo);
      });
      return {
        get pid() {
          return child.pid;
        },
        send(message: WorkerRequest): void {
          if (exited) throw new Error('worker channel closed');
          child.postMessage(message);
        },
        onMessage(listener: (message: unknown) => void): void {
          child.on('message', listener);
        },
        onExit(listener: (info: WorkerExitInfo) => void): void {
          if (exited) listener(exitInfo);
          else exitListeners.push(listener);
        },
        kill(): void {
          if (!exited) child.kill();
        },
      };
    },
  };
}
