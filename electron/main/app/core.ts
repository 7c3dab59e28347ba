import { userInfo } from 'node:os';
import path from 'node:path';
import { HsmModules, type WorkerLauncher } from '../hsm';
import { createBufferedAuditWriter, openRegistry } from '../registry';
import { AuditAnchorer } from '../services/audit/audit-anchor';
import { AuditTrail } from '../services/audit/audit-trail';
import { createServices } from '../services/compose';
import { ensureInstallation } from '../services/installation';
import { KeyStoreConnections } from '../services/keystores/connections';
import { ensureDefaultKeyStoreRows } from '../services/keystores/default-key-store';
import { DEFAULT_TRUSTED_MODULE_DIRS } from '../services/modules/library-trust';
import { securePrivateFiles } from '../services/keystores/data-dir-files';
import type { ServiceContext } from '../services/service-context';
import { createDispatcher, type Dispatch } from '../transports/dispatcher';
import { EndpointServer } from '../transports/endpoint/endpoint-server';
import type { CallOutcome } from '../../../shared/bridge';
import { applyRestoreStaging } from '../services/backup/restore-staging';
import type { CoreRestart } from '../services/backup/restore-service';
import { WriteGate } from '../services/backup/write-gate';
import { FileExchange } from '../services/files/file-exchange';
import type { Core } from './core-types';

export interface CoreOptions {
  dataDir: string;
  launcher: WorkerLauncher;
  /** Who acts in audit records; the OS user by default. */
  actor?: string;
  /** Overrides the SoftHSM2 library of the default key store. */
  softHsmModulePath?: string;
  /** The clock (tests move it forward to reach deletion and rotation dates). */
  now?: () => Date;
  /** How often due deletions, rotations and expiries are looked for; default one minute. */
  maintenanceIntervalMs?: number;
  /** Told when start-up tightened a permission or maintenance failed (default: a line on stderr). */
  onNotice?: (message: string) => void;
  /** Directories whose root-owned PKCS#11 libraries RegisterModule loads without asking; default DEFAULT_TRUSTED_MODULE_DIRS. */
  trustedModuleDirs?: readonly string[];
  /**
   * Electron: asks the officer, outside the renderer, whether to load a library from elsewhere
   * (RegisterModule); without it such a library needs the kms command line or the trusted-modules file.
   */
  confirmUntrustedModule?: (libraryPath: string) => Promise<boolean>;
}

function defaultNotice(message: string): void {
  console.warn(`[keyward] ${message}`);
}

export const DEFAULT_SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * The composition root: registry, HSM workers, services and the dispatcher every transport binds
 * to. A restore swaps the data directory's files under it: the core closes, the staged files move
 * into place and it opens again, behind the same dispatch function.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  // Everything this process and its HSM workers create from now on (SQLite WAL and SHM files,
  // SoftHSM2 token files) is private from birth; workers inherit the mask.
  process.umask(0o077);
  const notice = options.onNotice ?? defaultNotice;
  // Made only once the data directory opened: a refused one (a newer schema) is left untouched.
  const files = new FileExchange(path.join(options.dataDir, 'exchange'), undefined, undefined, false);
  const outcome = applyRestoreStaging(options.dataDir);
  if (outcome === 'APPLIED') notice('finished a restore that was interrupted after its commit point.');
  if (outcome === 'DISCARDED') notice('dropped a restore that was interrupted before its commit point; the data directory is as it was.');

  let current: OpenCore | null = null;
  const restart = async (apply: () => void): Promise<void> => {
    const previous = current;
    current = null;
    await previous?.close();
    apply();
    current = await openCore(options, files, restart);
  };
  current = await openCore(options, files, restart);
  files.reset();
  const live = (): OpenCore => {
    if (!current) throw new Error('the core is reopening after a restore');
    return current;
  };

  let closed = false;
  return {
    dispatch: (operation, input, context) => (current ? current.dispatch(operation, input, context) : Promise.resolve(reopening())),
    runMaintenance: () => live().runMaintenance(),
    files,
    async close() {
      if (closed) return;
      closed = true;
      await current?.close();
      files.close();
    },
  };
}

function reopening(): CallOutcome {
  return { ok: false, error: { Code: 'Forbidden.BackupInProgress', Message: 'Keyward is reopening the restored data directory; try again in a moment.', RequestId: '' } };
}

type OpenCore = Omit<Core, 'files'>;

async function openCore(options: CoreOptions, files: FileExchange, restart: CoreRestart): Promise<OpenCore> {
  const notices = securePrivateFiles(options.dataDir);
  for (const message of notices) (options.onNotice ?? defaultNotice)(message);
  const registry = openRegistry({ file: path.join(options.dataDir, 'registry.sqlite') });
  const hsm = new HsmModules(options.launcher);
  const context: ServiceContext = {
    registry,
    hsm,
    dataDir: options.dataDir,
    softHsmModulePath: options.softHsmModulePath ?? process.env.KEYWARD_SOFTHSM_MODULE ?? DEFAULT_SOFTHSM_MODULE,
    now: options.now ?? (() => new Date()),
  };
  // Group commits of up to 50 ms of usage records: at 10k calls/s that is ~500 records, so the
  // batch bound only matters for bursts (one commit per 256 records cost a tenth of the throughput).
  const usageWriter = createBufferedAuditWriter(registry, { maxBatch: 1024, maxDelayMs: 50 });
  const audit = new AuditTrail(context, usageWriter);
  const connections = new KeyStoreConnections();
  hsm.onClientLost((client, event) => connections.markClientLost(client, event.workerPid));
  const anchorer = new AuditAnchorer(context, connections);
  anchorer.start();

  ensureDefaultKeyStoreRows(context);
  const scope = ensureInstallation(context);
  const moduleApproval = { trustedDirs: options.trustedModuleDirs ?? DEFAULT_TRUSTED_MODULE_DIRS, confirmUntrustedModule: options.confirmUntrustedModule };
  const notice = options.onNotice ?? defaultNotice;
  const gate = new WriteGate();
  // The endpoint's server calls the dispatcher, which is made from the services that start the server.
  let dispatchLater: Dispatch | null = null;
  const endpointController = new EndpointServer({
    dispatch: (operation, input, callContext) => (dispatchLater ? dispatchLater(operation, input, callContext) : Promise.resolve(reopening())),
    now: context.now,
  });
  const services = createServices({ context, connections, audit, usageWriter, scope, moduleApproval, anchorer, files, gate, restart, endpointController, onProblem: notice });
  services.maintenance.start(options.maintenanceIntervalMs ?? 60_000);
  const dispatch = createDispatcher({
    handlers: services.handlers,
    actor: options.actor ?? userInfo().username,
    auditFailure: audit.recordFailure,
  });
  dispatchLater = dispatch;

  let closed = false;
  return {
    dispatch,
    runMaintenance: () => services.maintenance.runDue(),
    async close() {
      if (closed) return;
      closed = true;
      await services.dispose();
      await usageWriter.close();
      // The last records (this session's final usage batch included) are anchored while the HSM is still open.
      await anchorer.close();
      await hsm.closeAll();
      registry.close();
    },
  };
}
