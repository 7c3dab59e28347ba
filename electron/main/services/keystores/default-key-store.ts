import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { ModuleSpec } from '../../hsm/types';
import { isoNow, type ServiceContext } from '../service-context';

export const DEFAULT_KEY_STORE_ID = 'kst-default';
export const DEFAULT_KEY_STORE_NAME = 'Default key store';
export const DEFAULT_TOKEN_LABEL = 'keyward-default';
export const BUILTIN_SOFTHSM_MODULE_ID = 'mod-softhsm2';

/** Where the embedded SoftHSM2 of the default key store keeps its configuration and tokens. */
export function defaultKeyStorePaths(dataDir: string): { softHsmDir: string; tokenDir: string; confPath: string } {
  const softHsmDir = path.join(dataDir, 'softhsm');
  return { softHsmDir, tokenDir: path.join(softHsmDir, 'tokens'), confPath: path.join(softHsmDir, 'softhsm2.conf') };
}

/**
 * The default key store is an embedded SoftHSM2 token in the data directory, with its own config
 * so it never touches the system-wide token directory.
 */
export function defaultKeyStoreModuleSpec(context: ServiceContext): ModuleSpec {
  const { tokenDir, confPath } = defaultKeyStorePaths(context.dataDir);
  if (!existsSync(confPath)) {
    mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      confPath,
      [`directories.tokendir = ${tokenDir}`, 'objectstore.backend = file', 'log.level = ERROR', 'slots.removable = false', ''].join('\n'),
      { mode: 0o600, flag: 'wx' },
    );
  }
  return { path: context.softHsmModulePath, env: { SOFTHSM2_CONF: confPath } };
}

/** First start: the registry rows of the built-in module and of the (not yet initialized) default store. */
export function ensureDefaultKeyStoreRows(context: ServiceContext): void {
  const { registry } = context;
  registry.transaction(() => {
    const now = isoNow(context);
    const spec = defaultKeyStoreModuleSpec(context);
    const builtin = registry.modules.get(BUILTIN_SOFTHSM_MODULE_ID);
    if (builtin && builtin.envJson !== JSON.stringify(spec.env)) {
      // The data directory was moved or copied: the row still names the old configuration path.
      registry.modules.updateEnvironment(BUILTIN_SOFTHSM_MODULE_ID, JSON.stringify(spec.env));
    }
    if (!builtin) {
      registry.modules.insert({
        id: BUILTIN_SOFTHSM_MODULE_ID,
        name: 'SoftHSM2 (default key store)',
        path: spec.path,
        envJson: JSON.stringify(spec.env),
        builtin: true,
        createdAt: now,
      });
    }
    if (!registry.keyStores.getDefault()) {
      registry.keyStores.insert({
        id: DEFAULT_KEY_STORE_ID,
        name: DEFAULT_KEY_STORE_NAME,
        type: 'DEFAULT',
        protectionLevel: 'SOFTWARE',
        clusterId: null,
        moduleId: BUILTIN_SOFTHSM_MODULE_ID,
        tokenSerial: null,
        tokenLabel: DEFAULT_TOKEN_LABEL,
        initialized: false,
        connectionState: 'DISCONNECTED',
        connectionErrorCode: null,
        createdAt: now,
        updatedAt: now,
      });
    }
  });
}
