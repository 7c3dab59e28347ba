import { KmsError } from '../../../shared/errors';
import type { BufferedAuditWriter } from '../registry';
import { AuditService } from './audit/audit-service';
import type { AuditTrail } from './audit/audit-trail';
import { CryptoService } from './crypto/crypto-service';
import type { OperationHandlers } from './handlers-type';
import { KeyResolver } from './keys/key-resolver';
import type { ArnScope } from './keys/key-metadata';
import { KeyService } from './keys/key-service';
import type { KeyStoreConnections } from './keystores/connections';
import { KeyStoreService } from './keystores/key-store-service';
import { ModuleService } from './modules/module-service';
import type { ServiceContext } from './service-context';

// Temporary: cluster operations land in the following commits.
const pending = (): Promise<never> => Promise.reject(new KmsError('UnsupportedOperation', 'Not implemented yet.'));

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
  const modules = new ModuleService(context);
  const keyStores = new KeyStoreService(context, connections, audit);
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
    RegisterModule: pending,
    DeregisterModule: pending,
    CreateCluster: pending,
    CreateHsm: pending,
    DeleteHsm: pending,
    DescribeClusters: pending,
    DescribeCluster: pending,
    InitializeCluster: pending,
    ActivateCluster: pending,
    GetClusterCertificate: pending,
    SyncCluster: pending,
    CreateCryptoUser: pending,
    ChangeCryptoUserPassword: pending,
    DescribeCryptoUsers: pending,
    CreateKeyStore: pending,
    UpdateKeyStore: pending,
    DeleteKeyStore: pending,
    ListAuditEvents: (input) => auditLog.list(input),
    VerifyAuditLog: () => auditLog.verify(),
  };
}
