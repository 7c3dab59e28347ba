import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { HsmModules, type WorkerLauncher } from '../hsm';
import { createBufferedAuditWriter, openRegistry } from '../registry';
import { AuditTrail } from '../services/audit/audit-trail';
import { createHandlers, createKeyMaintenance } from '../services/handlers';
import { ensureInstallation } from '../services/installation';
import { KeyStoreConnections } from '../services/keystores/connections';
import { ensureDefaultKeyStoreRows } from '../services/keystores/default-key-store';
import type { ServiceContext } from '../services/service-context';
import { createDispatcher } from '../transports/dispatcher';
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
}

export const DEFAULT_SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** The composition root: registry, HSM workers, services and the dispatcher every transport binds to. */
export async function createCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const registry = openRegistry({ file: path.join(options.dataDir, 'registry.sqlite') });
  const hsm = new HsmModules(options.launcher);
  const context: ServiceContext = {
    registry,
    hsm,
    dataDir: options.dataDir,
    softHsmModulePath: options.softHsmModulePath ?? process.env.KEYWARD_SOFTHSM_MODULE ?? DEFAULT_SOFTHSM_MODULE,
    now: options.now ?? (() => new Date()),
  };
  const usageWriter = createBufferedAuditWriter(registry, { maxBatch: 256, maxDelayMs: 50 });
  const audit = new AuditTrail(context, usageWriter);
  const connections = new KeyStoreConnections();
  hsm.onClientLost((client) => connections.markClientLost(client));

  ensureDefaultKeyStoreRows(context);
  const scope = ensureInstallation(context);
  const handlers = createHandlers({ context, connections, audit, usageWriter, scope });
  const maintenance = createKeyMaintenance({ context, connections, audit });
  maintenance.start(options.maintenanceIntervalMs ?? 60_000);
  const dispatch = createDispatcher({
    handlers,
    actor: options.actor ?? userInfo().username,
    auditFailure: audit.recordFailure,
  });

  let closed = false;
  return {
    dispatch,
    runMaintenance: () => maintenance.runDue(),
    async close() {
      if (closed) return;
      closed = true;
      await maintenance.close();
      await usageWriter.close();
      await hsm.closeAll();
      registry.close();
    },
  };
}
