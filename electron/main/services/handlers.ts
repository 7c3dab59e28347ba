import type { BufferedAuditWriter } from '../registry';
import { AuditService } from './audit/audit-service';
import type { AuditAnchorer } from './audit/audit-anchor';
import type { AuditTrail } from './audit/audit-trail';
import { AsymmetricCryptoService } from './crypto/asymmetric-crypto-service';
import { ClusterInitializer } from './clusters/cluster-initializer';
import { ClusterJoiner } from './clusters/cluster-joiner';
import { ClusterKeyStoreService } from './clusters/cluster-key-stores';
import { ClusterService } from './clusters/cluster-service';
import { ClusterSync } from './clusters/cluster-sync';
import { CryptoUserService } from './clusters/crypto-user-service';
import { watchClusterHealth } from './clusters/cluster-health';
import { CryptoService } from './crypto/crypto-service';
import { KeyUse } from './crypto/key-use';
import { MacService } from './crypto/mac-service';
import type { OperationHandlers } from './handlers-type';
import { AliasService } from './keys/alias-service';
import { KeyImportService } from './keys/key-import-service';
import { KeyLifecycleService } from './keys/key-lifecycle-service';
import { KeyMaintenance } from './keys/key-maintenance';
import type { ArnScope } from './keys/key-metadata';
import { KeyResolver } from './keys/key-resolver';
import { KeyService } from './keys/key-service';
import { KeyVersionService } from './keys/key-version-service';
import { TagService } from './keys/tag-service';
import type { KeyStoreConnections } from './keystores/connections';
import { KeyStoreService } from './keystores/key-store-service';
import { LoginGuard } from './keystores/login-guard';
import { LoginPolicyService } from './keystores/login-policy-service';
import type { ModuleApprovalOptions } from './modules/module-approval';
import { ModuleService } from './modules/module-service';
import { ReconcileService } from './reconcile/reconcile-service';
import type { ServiceContext } from './service-context';

/** One handler per contract entry, each a one-line binding to the service that owns it. */
export function createHandlers(deps: {
  context: ServiceContext;
  connections: KeyStoreConnections;
  audit: AuditTrail;
  usageWriter: BufferedAuditWriter;
  scope: ArnScope;
  moduleApproval: ModuleApprovalOptions;
  /** Keeps the audit head anchored in the default key store's HSM (owned by the core: it anchors at close). */
  anchorer: AuditAnchorer;
}): OperationHandlers {
  const { context, connections, audit, usageWriter, scope } = deps;
  const resolver = new KeyResolver(context);
  const modules = new ModuleService(context, audit, deps.moduleApproval);
  const clusters = new ClusterService(context, connections, audit);
  const initializer = new ClusterInitializer(context, audit);
  const loginGuard = new LoginGuard(context, audit);
  const cryptoUsers = new CryptoUserService(context, audit, loginGuard);
  const clusterStores = new ClusterKeyStoreService(context, connections, audit, loginGuard);
  const clusterSync = new ClusterSync(context, connections, audit, loginGuard);
  const joiner = new ClusterJoiner(context, connections, audit, clusterSync, loginGuard);
  const keyStores = new KeyStoreService(context, connections, audit, loginGuard, clusterStores);
  const loginPolicy = new LoginPolicyService(context, audit, loginGuard, clusterStores);
  watchClusterHealth(context, connections, audit);
  const keys = new KeyService(context, connections, resolver, audit, scope);
  const lifecycle = new KeyLifecycleService(context, resolver, audit);
  const versions = new KeyVersionService(context, connections, resolver, audit);
  const aliases = new AliasService(context, resolver, audit, scope);
  const tags = new TagService(context, resolver, audit);
  const keyImport = new KeyImportService(context, connections, resolver, audit);
  const use = new KeyUse(connections, resolver, audit);
  const crypto = new CryptoService(use);
  const asymmetric = new AsymmetricCryptoService(use);
  const mac = new MacService(use);
  const auditLog = new AuditService(context, usageWriter, connections, deps.anchorer);
  const reconcile = new ReconcileService(context, connections, audit);

  return {
    ListModules: async () => modules.list(),
    DescribeModule: (input) => modules.describe(input),
    DescribeKeyStores: async (input) => keyStores.describe(input),
    InitializeDefaultKeyStore: (input, request) => keyStores.initializeDefault(input, request),
    ConnectKeyStore: (input, request) => keyStores.connect(input, request),
    DisconnectKeyStore: (input, request) => keyStores.disconnect(input, request),
    UpdateKeyStoreLoginPolicy: async (input, request) => loginPolicy.updatePolicy(input, request),
    UnlockKeyStore: (input, request) => loginPolicy.unlock(input, request),
    CreateKey: (input, request) => keys.create(input, request),
    DescribeKey: async (input) => keys.describe(input),
    ListKeys: async (input) => keys.list(input),
    EnableKey: async (input, request) => lifecycle.enable(input, request),
    DisableKey: async (input, request) => lifecycle.disable(input, request),
    ScheduleKeyDeletion: async (input, request) => lifecycle.schedule(input, request),
    CancelKeyDeletion: async (input, request) => lifecycle.cancel(input, request),
    UpdateRotationPolicy: async (input, request) => lifecycle.updateRotationPolicy(input, request),
    CreateKeyVersion: (input, request) => versions.create(input, request),
    ListKeyVersions: async (input) => versions.list(input),
    CreateAlias: async (input, request) => aliases.create(input, request),
    UpdateAlias: async (input, request) => aliases.update(input, request),
    DeleteAlias: async (input, request) => aliases.delete(input, request),
    ListAliases: async (input) => aliases.list(input),
    ListAliasesByKeyId: async (input) => aliases.listByKey(input),
    TagResource: async (input, request) => tags.tag(input, request),
    UntagResource: async (input, request) => tags.untag(input, request),
    ListResourceTags: async (input) => tags.list(input),
    GetParametersForImport: (input, request) => keyImport.getParameters(input, request),
    ImportKeyMaterial: (input, request) => keyImport.importMaterial(input, request),
    DeleteKeyMaterial: (input, request) => keyImport.deleteMaterial(input, request),
    ReconcileKeyStore: (input, request) => reconcile.reconcile(input, request),
    Encrypt: (input, request) => crypto.encrypt(input, request),
    Decrypt: (input, request) => crypto.decrypt(input, request),
    GenerateDataKey: (input, request) => crypto.generateDataKey(input, request),
    GenerateDataKeyWithoutPlaintext: (input, request) => crypto.generateDataKeyWithoutPlaintext(input, request),
    AsymmetricEncrypt: (input, request) => asymmetric.encrypt(input, request),
    AsymmetricDecrypt: (input, request) => asymmetric.decrypt(input, request),
    AsymmetricSign: (input, request) => asymmetric.sign(input, request),
    AsymmetricVerify: (input, request) => asymmetric.verify(input, request),
    GenerateMac: (input, request) => mac.generate(input, request),
    VerifyMac: (input, request) => mac.verify(input, request),
    GetPublicKey: (input) => asymmetric.publicKey(input),
    RegisterModule: (input, request) => modules.register(input, request),
    DeregisterModule: (input, request) => modules.deregister(input, request),
    CreateCluster: async (input, request) => clusters.create(input, request),
    CreateHsm: (input, request) => clusters.createHsm(input, request),
    JoinHsm: (input, request) => joiner.join(input, request),
    DeleteHsm: (input, request) => clusters.deleteHsm(input, request),
    DescribeClusters: async () => clusters.list(),
    DescribeCluster: (input, request) => clusters.describe(input, request),
    InitializeCluster: (input, request) => initializer.initialize(input, request),
    ActivateCluster: async (input, request) => clusters.activate(input, request),
    GetClusterCertificate: async (input) => clusters.certificate(input),
    SyncCluster: (input, request) => clusterSync.sync(input, request),
    CreateCryptoUser: (input, request) => cryptoUsers.create(input, request),
    ChangeCryptoUserPassword: (input, request) => cryptoUsers.changePassword(input, request),
    DescribeCryptoUsers: async (input) => cryptoUsers.describe(input),
    CreateKeyStore: (input, request) => clusterStores.create(input, request),
    UpdateKeyStore: async (input, request) => clusterStores.update(input, request),
    DeleteKeyStore: async (input, request) => clusterStores.delete(input, request),
    ListAuditEvents: (input) => auditLog.list(input),
    VerifyAuditLog: (input) => auditLog.verify(input),
    GetAuditAnchor: () => auditLog.anchor(),
  };
}

/** The background work on keys (deletions, rotation, expiry), built from the same services the handlers use. */
export function createKeyMaintenance(deps: { context: ServiceContext; connections: KeyStoreConnections; audit: AuditTrail }): KeyMaintenance {
  const { context, connections, audit } = deps;
  const resolver = new KeyResolver(context);
  const versions = new KeyVersionService(context, connections, resolver, audit);
  const keyImport = new KeyImportService(context, connections, resolver, audit);
  return new KeyMaintenance(context, connections, versions, keyImport, audit);
}
