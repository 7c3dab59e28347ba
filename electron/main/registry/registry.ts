import Database from 'better-sqlite3';
import { trackChanges } from './change-stamp';
import { translateConstraint } from './errors';
import { migrate } from './migrate';
import { refreshKeyStatistics } from './statistics';
import { MIGRATIONS, type Migration } from './migrations';
import { type AliasesRepository, createAliasesRepository } from './repositories/aliases';
import { type AuditRepository, createAuditRepository } from './repositories/audit';
import { type KeyStoresRepository, createKeyStoresRepository } from './repositories/key-stores';
import { type KeyVersionsRepository, createKeyVersionsRepository } from './repositories/key-versions';
import { type KeysRepository, createKeysRepository } from './repositories/keys';
import { type MetaRepository, createMetaRepository } from './repositories/meta';
import { type ModulesRepository, createModulesRepository } from './repositories/modules';
import { type TagsRepository, createTagsRepository } from './repositories/tags';
import { type ClustersRepository, createClustersRepository } from './repositories/clusters';
import { type HsmsRepository, createHsmsRepository } from './repositories/hsms';
import { type CryptoUsersRepository, createCryptoUsersRepository } from './repositories/crypto-users';
import { type ImportTokensRepository, createImportTokensRepository } from './repositories/import-tokens';
import { type LoginGuardsRepository, createLoginGuardsRepository } from './repositories/login-guards';
import { type SecretsRepository, createSecretsRepository } from './repositories/secrets';
import { type SecretVersionsRepository, createSecretVersionsRepository } from './repositories/secret-versions';
import { type BackupsRepository, createBackupsRepository } from './repositories/backups';
import { type ClientKeysRepository, createClientKeysRepository } from './repositories/client-keys';
import { type InstanceCaRepository, createInstanceCaRepository } from './repositories/instance-ca';
import { type NetworkRulesRepository, createNetworkRulesRepository } from './repositories/network-rules';
import { type AccessPoliciesRepository, createAccessPoliciesRepository } from './repositories/access-policies';
import { type AccessPointsRepository, createAccessPointsRepository } from './repositories/access-points';
import { type XksProxiesRepository, createXksProxiesRepository } from './repositories/xks-proxies';
import { type ExternalKeyStoresRepository, createExternalKeyStoresRepository } from './repositories/external-key-stores';
import { type OfficersRepository, createOfficersRepository } from './repositories/officers';
import { type CeremoniesRepository, createCeremoniesRepository } from './repositories/ceremonies';

export interface OpenRegistryOptions {
  /** Path of the database file; its directory must exist. */
  file: string;
  /** How long a write waits for another process (the CLI next to the app) to release the lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** For tests of future schemas; defaults to every migration this build knows. */
  migrations?: readonly Migration[];
  /** better-sqlite3 native binding path, for running under Electron's ABI (see FACTS: not N-API). */
  nativeBinding?: string;
}

export interface Registry {
  readonly file: string;
  readonly schemaVersion: number;
  readonly meta: MetaRepository;
  readonly modules: ModulesRepository;
  readonly keyStores: KeyStoresRepository;
  readonly keys: KeysRepository;
  readonly keyVersions: KeyVersionsRepository;
  readonly aliases: AliasesRepository;
  readonly tags: TagsRepository;
  readonly audit: AuditRepository;
  readonly clusters: ClustersRepository;
  readonly hsms: HsmsRepository;
  readonly cryptoUsers: CryptoUsersRepository;
  readonly importTokens: ImportTokensRepository;
  readonly loginGuards: LoginGuardsRepository;
  readonly secrets: SecretsRepository;
  readonly secretVersions: SecretVersionsRepository;
  readonly backups: BackupsRepository;
  readonly clientKeys: ClientKeysRepository;
  readonly instanceCa: InstanceCaRepository;
  readonly networkRules: NetworkRulesRepository;
  readonly accessPolicies: AccessPoliciesRepository;
  readonly accessPoints: AccessPointsRepository;
  readonly xksProxies: XksProxiesRepository;
  readonly externalKeyStores: ExternalKeyStoresRepository;
  readonly officers: OfficersRepository;
  readonly ceremonies: CeremoniesRepository;
  /**
   * Copies the database, as of the moment the copy completes, into `file` (SQLite's online backup:
   * page batches between which this connection keeps serving; its own writes meanwhile are carried
   * into the copy). `file` must not exist.
   */
  snapshotTo(file: string, onProgress?: (fraction: number) => void): Promise<void>;
  /**
   * Runs `fn` in one IMMEDIATE transaction: everything commits together or nothing does, e.g. a
   * key row and its audit record. `fn` must be synchronous (a returned promise is refused, as its
   * work would run after the commit). Nested calls become savepoints. Throws RegistryConstraintError
   * for constraints checked at commit (deferred foreign keys).
   */
  transaction<T>(fn: () => T): T;
  /**
   * A value that differs from every earlier one once the database may have changed: any row
   * written in this process (rolled-back writes included) or a commit by another process, seen
   * from the next event-loop turn (change-stamp.ts). Cheap, so caches of registry rows (resolved
   * keys) can check it on every call; read it before the rows.
   */
  changeStamp(): string;
  /** Runs `hook` just before the database closes (the buffered audit writer flushes here). Returns an unregister function. */
  onClose(hook: () => void): () => void;
  /** Idempotent. */
  close(): void;
}

/**
 * Opens (creating if needed) and migrates the registry database.
 *
 * WAL lets the UI read while a write commits and lets the CLI use the same file; FULL sync makes
 * every committed key change survive a power cut, which matters more here than write speed
 * (high-rate usage records are batched instead, see the buffered audit writer).
 */
export function openRegistry(options: OpenRegistryOptions): Registry {
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // busy_timeout first: switching to WAL itself needs a lock another process may hold.
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`registry could not switch to WAL (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The schema is ours alone; never let it run functions with side effects from views or triggers.
    db.pragma('trusted_schema = OFF');
    // Deleted rows are overwritten, not left in free pages: a destroyed secret's sealed value and
    // wrapped data key must not be recoverable from the file while its CMK lives on.
    db.pragma('secure_delete = ON');
    // 16 MiB instead of 2: counting a filtered page of 100k keys walks an index of ~1,000 pages.
    db.pragma('cache_size = -16384');
    const schemaVersion = migrate(db, options.migrations ?? MIGRATIONS, () => new Date().toISOString());
    refreshKeyStatistics(db);
    return createRegistry(db, options.file, schemaVersion);
  } catch (error) {
    db.close();
    throw error;
  }
}

function createRegistry(db: Database.Database, file: string, schemaVersion: number): Registry {
  const closeHooks = new Set<() => void>();
  const run = db.transaction((fn: () => unknown) => fn());
  const changes = trackChanges(db);

  return {
    file,
    schemaVersion,
    meta: createMetaRepository(db),
    modules: createModulesRepository(db),
    keyStores: createKeyStoresRepository(db),
    keys: createKeysRepository(db),
    keyVersions: createKeyVersionsRepository(db),
    aliases: createAliasesRepository(db),
    tags: createTagsRepository(db),
    audit: createAuditRepository(db),
    clusters: createClustersRepository(db),
    hsms: createHsmsRepository(db),
    cryptoUsers: createCryptoUsersRepository(db),
    importTokens: createImportTokensRepository(db),
    loginGuards: createLoginGuardsRepository(db),
    secrets: createSecretsRepository(db),
    secretVersions: createSecretVersionsRepository(db),
    backups: createBackupsRepository(db),
    clientKeys: createClientKeysRepository(db),
    instanceCa: createInstanceCaRepository(db),
    networkRules: createNetworkRulesRepository(db),
    accessPolicies: createAccessPoliciesRepository(db),
    accessPoints: createAccessPointsRepository(db),
    xksProxies: createXksProxiesRepository(db),
    externalKeyStores: createExternalKeyStoresRepository(db),
    officers: createOfficersRepository(db),
    ceremonies: createCeremoniesRepository(db),
    async snapshotTo(target, onProgress) {
      await db.backup(target, {
        progress({ totalPages, remainingPages }) {
          onProgress?.(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages);
          // Pages per step: small enough that requests in between wait milliseconds, not seconds.
          return 256;
        },
      });
    },
    transaction<T>(fn: () => T): T {
      return translateConstraint(() => run.immediate(fn) as T);
    },
    changeStamp: () => changes.stamp(),
    onClose(hook) {
      closeHooks.add(hook);
      return () => {
        closeHooks.delete(hook);
      };
    },
    close() {
      if (!db.open) return;
      const hooks = [...closeHooks];
      closeHooks.clear();
      try {
        for (const hook of hooks) hook();
      } finally {
        // A failing hook must not leave the file open (and its WAL unmerged).
        changes.untrack();
        db.close();
      }
    },
  };
}
