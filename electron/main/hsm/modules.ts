/**
 * One HsmModuleClient (and so one worker process) per ModuleSpec: SoftHSM and p11-kit read their
 * configuration from the environment once per process, so the same library with a different
 * SOFTHSM2_CONF or P11_KIT_SERVER_ADDRESS is a different module.
 */
import { HsmModuleClient, type HsmModuleClientOptions, type WorkerCrashEvent } from './client';
import type { ModuleSpec } from './types';
import type { WorkerLauncher } from './worker-launcher';

/** Stable identity of a spec: library path plus the env sorted by name. */
export function moduleSpecKey(spec: ModuleSpec): string {
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([spec.path, env]);
}

export type ClientLostListener = (client: HsmModuleClient, event: WorkerCrashEvent) => void;

export class HsmModules {
  private readonly options: HsmModuleClientOptions;
  private readonly clients = new Map<string, HsmModuleClient>();
  private readonly lostListeners = new Set<ClientLostListener>();

  constructor(launcherOrOptions: WorkerLauncher | HsmModuleClientOptions) {
    this.options = 'launch' in launcherOrOptions ? { launcher: launcherOrOptions } : launcherOrOptions;
  }

  /** The client for this spec, created on first use (its worker starts on its first call). */
  client(spec: ModuleSpec): HsmModuleClient {
    const key = moduleSpecKey(spec);
    let client = this.clients.get(key);
    if (!client) {
      const created = new HsmModuleClient(spec, this.options);
      created.on('crashed', (event) => {
        for (const listener of this.lostListeners) listener(created, event);
      });
      this.clients.set(key, created);
      client = created;
    }
    return client;
  }

  /**
   * A client with a worker process of its own, hence its own login state: for SO work on a token
   * the shared client keeps logged in as the user (PKCS#11 allows no SO login beside it in one
   * application). Not shared and not watched for crashes; the caller closes it.
   */
  dedicatedClient(spec: ModuleSpec): HsmModuleClient {
    return new HsmModuleClient(spec, this.options);
  }

  has(spec: ModuleSpec): boolean {
    return this.clients.has(moduleSpecKey(spec));
  }

  /**
   * Called whenever a module's worker ended unexpectedly: its logins are gone, so whoever holds
   * sessions through that client must consider them lost. Returns an unsubscribe function.
   */
  onClientLost(listener: ClientLostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Closes and forgets one module's client (e.g. when the module is deregistered). */
  async close(spec: ModuleSpec): Promise<void> {
    const key = moduleSpecKey(spec);
    const client = this.clients.get(key);
    this.clients.delete(key);
    await client?.close();
  }

  async closeAll(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
