import type { BufferedAuditWriter } from '../registry';
import { AuditService } from './audit/audit-service';
import type { AuditTrail } from './audit/audit-trail';
import { ClusterInitializer } from './clusters/cluster-initializer';
import { ClusterKeyStoreService } from './clusters/cluster-key-stores';
import { ClusterService } from './clusters/cluster-service';
import { ClusterSync } from './clusters/cluster-sync';
import { CryptoUserService } from './clusters/crypto-user-service';
import { watchClusterHealth } from './clusters/cluster-health';
import { CryptoService } from './crypto/crypto-service';
import type { OperationHandlers } from './handlers-type';
import { KeyResolver } from './keys/key-resolver';
import type { ArnScope } from './keys/key-metadata';
import { KeyService } from './keys/key-service';
import type { KeyStoreConnections } from './keystores/connections';
import { KeyStoreService } from './keystores/key-store-service';
import { ModuleService } from './modules/module-service';
import type { ServiceContext } from './service-context';

/** One handler per contract entry, each a one-line binding to the service that owns it. */
export function createHandlers(deps: {
  context: ServiceContext;
  connections: KeyStoreConnections;
  audit: AuditTrail;
  usageWriter: BufferedAuditWriter;
  scope: ArnScope;
}): OperationHandlers {
  const { context, connections, audit, usageWriter, scope } = deps;
  const resolver = new KeyResolver(context);
  const modules = new ModuleService(context, audit);
  const clusters = new ClusterService(context, connections, audit);
  const initializer = new ClusterInitializer(context, audit);
  const cryptoUsers = new CryptoUserService(context, audit);
  const clusterStores = new ClusterKeyStoreService(context, connections, audit);
  const clusterSync = new ClusterSync(context, connections, audit);
  const keyStores = new KeyStoreService(context, connections, audit, clusterStores);
  watchClusterHealth(context, connections, audit);
  const keys = new KeyService(context, connections, resolver, audit, scope);
  const crypto = new CryptoService(connections, resolver, audit);
  const auditLog = new AuditService(context, usageWriter);

  return {
    ListModules: async () => modules.list(),
    DescribeModule: (input) => modules.describe(input),
    DescribeKeyStores: async (input) => keyStores.describe(input),
    InitializeDefaultKeyStore: (input, request) => keyStores.initializeDefault(input, request),
    ConnectKeyStore: (input, request) => keyStores.connect(input, request),
    DisconnectKeyStore: (input, request) => keyStores.disconnect(input, request),
    CreateKey: (input, request) => keys.create(input, request),
    DescribeKey: async (input) => keys.describe(input),
    ListKeys: async (input) => keys.list(input),
    Encrypt: (input, request) => crypto.encrypt(input, request),
    Decrypt: (input, request) => crypto.decrypt(input, request),
    AsymmetricSign: (input, request) => crypto.sign(input, request),
    AsymmetricVerify: (input, request) => crypto.verify(input, request),
    GetPublicKey: (input) => crypto.publicKey(input),
    GenerateMac: (input, request) => crypto.generateMac(input, request),
    VerifyMac: (input, request) => crypto.verifyMac(input, request),
    RegisterModule: (input, request) => modules.register(input, request),
    DeregisterModule: (input, request) => modules.deregister(input, request),
    CreateCluster: async (input, request) => clusters.create(input, request),
    CreateHsm: (input, request) => clusters.createHsm(input, request),
    DeleteHsm: async (input, request) => clusters.deleteHsm(input, request),
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
    VerifyAuditLog: () => auditLog.verify(),
  };
}
