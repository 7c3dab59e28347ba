import type { BufferedAuditWriter } from '../registry';
import { AuditService } from './audit/audit-service';
import type { AuditAnchorer } from './audit/audit-anchor';
import { AuditExportService } from './audit/audit-export';
import { AuditSigningKey } from './audit/audit-signing-key';
import type { AuditTrail } from './audit/audit-trail';
import { AsymmetricCryptoService } from './crypto/asymmetric-crypto-service';
import { ClusterInitializer } from './clusters/cluster-initializer';
import { ClusterJoiner } from './clusters/cluster-joiner';
import { ClusterKeyStoreService } from './clusters/cluster-key-stores';
import { ClusterService } from './clusters/cluster-service';
import { ClusterSync } from './clusters/cluster-sync';
import { CryptoUserService } from './clusters/crypto-user-service';
import { CryptoService } from './crypto/crypto-service';
import { KeyUse } from './crypto/key-use';
import { MacService } from './crypto/mac-service';
import { AliasService } from './keys/alias-service';
import { KeyImportService } from './keys/key-import-service';
import { KeyLifecycleService } from './keys/key-lifecycle-service';
import type { ArnScope } from './keys/key-metadata';
import { KeyResolver } from './keys/key-resolver';
import { KeyService } from './keys/key-service';
import { KeyStoreCapabilitiesService } from './keys/key-store-capabilities';
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
import { createSecretServices } from './secrets/secret-services';
import { BackupService } from './backup/backup-service';
import { MaterialCheckService } from './backup/material-check-service';
import { RestoreService, type CoreRestart } from './backup/restore-service';
import type { WriteGate } from './backup/write-gate';
import type { FileExchange } from './files/file-exchange';
import { NetworkRuleService } from './access/network-rule-service';
import { PolicyService } from './access/policy-service';
import { AccessPointService } from './access/access-point-service';
import { RegistryAccessAuthorizer } from './access/access-authorizer';
import { AccessKeySecrets } from './access/access-key-secrets';
import { ClientKeyService } from './access/client-key-service';
import { RegistryClientKeyCredentials } from './access/client-key-credentials';
import { InstanceCa } from './access/instance-ca';
import type { EndpointController } from './endpoint/endpoint-controller';
import { createEndpointService } from './endpoint/endpoint-services';
import { DataKeys } from './crypto/data-keys';
import { createXksServices } from './xks/xks-services';
import { ExternalKeyLayer } from './external/external-key-layer';
import { materialStoreIdOf } from './keys/material-store';
import { ExternalKeyCheck } from './external/external-key-check';
import { ExternalKeyStoreService } from './external/external-key-store-service';
import { ApprovalService } from './quorum/approval-service';
import { OfficerService } from './quorum/officer-service';
import { OfficerTokens } from './quorum/officer-tokens';
import { QuorumPolicyService } from './quorum/quorum-policy';
import { CeremonyScripts } from './ceremonies/ceremony-scripts';
import { CeremonyService } from './ceremonies/ceremony-service';
import { CeremonyTranscripts } from './ceremonies/transcript/ceremony-transcripts';

/** What the services are built from: assembled once by the composition root (app/core.ts). */
export interface ServiceDeps {
  context: ServiceContext;
  connections: KeyStoreConnections;
  audit: AuditTrail;
  usageWriter: BufferedAuditWriter;
  scope: ArnScope;
  moduleApproval: ModuleApprovalOptions;
  /** Keeps the audit head anchored in the default key store's HSM (owned by the core: it anchors at close). */
  anchorer: AuditAnchorer;
  /** Files made or read by operations, delivered and staged by the transports. */
  files: FileExchange;
  /** Holds state changes back while a backup takes its snapshot. */
  gate: WriteGate;
  /** Closes and reopens the core around a restore's file moves. */
  restart: CoreRestart;
  /** The application endpoint's HTTPS server (made by the composition root: it lives in transports/). */
  endpointController: EndpointController;
}

/** Every service, built once: the handlers, the maintenance rounds and the health watch share them. */
export function buildServiceSet(deps: ServiceDeps) {
  const { context, connections, audit, usageWriter, scope } = deps;
  const resolver = new KeyResolver(context);
  const modules = new ModuleService(context, audit, deps.moduleApproval);
  const clusters = new ClusterService(context, connections, audit);
  const initializer = new ClusterInitializer(context, audit);
  const loginGuard = new LoginGuard(context, audit);
  const cryptoUsers = new CryptoUserService(context, audit, loginGuard);
  // External key stores: their proxies' calls, and the credentials sealed under the access keys CMK.
  const externalLayer = new ExternalKeyLayer(scope);
  const use = new KeyUse(connections, resolver, audit, externalLayer, (key) => materialStoreIdOf(context.registry, key));
  const keys = new KeyService(context, connections, resolver, audit, scope, new ExternalKeyCheck(context.registry, externalLayer));
  const accessKeySecrets = new AccessKeySecrets(context, keys, use, new DataKeys(use));
  const externalStores = new ExternalKeyStoreService(context, connections, externalLayer, accessKeySecrets, audit, scope);
  const clusterStores = new ClusterKeyStoreService(context, connections, audit, loginGuard, externalStores);
  const clusterSync = new ClusterSync(context, connections, audit, loginGuard);
  const joiner = new ClusterJoiner(context, connections, audit, clusterSync, loginGuard);
  const keyStores = new KeyStoreService(context, connections, audit, loginGuard, clusterStores, externalStores);
  const loginPolicy = new LoginPolicyService(context, audit, loginGuard, clusterStores);
  const lifecycle = new KeyLifecycleService(context, resolver, audit);
  const versions = new KeyVersionService(context, connections, resolver, audit);
  const aliases = new AliasService(context, resolver, audit, scope);
  const tags = new TagService(context, resolver, audit);
  const keyImport = new KeyImportService(context, connections, resolver, audit);
  const storeCapabilities = new KeyStoreCapabilitiesService(context, connections);
  const crypto = new CryptoService(use);
  const asymmetric = new AsymmetricCryptoService(use);
  const mac = new MacService(use);
  const auditLog = new AuditService(context, usageWriter, connections, deps.anchorer);
  // One signing key for audit exports and ceremony transcripts: it caches the key it found or made.
  const auditSigningKey = new AuditSigningKey(context, connections, audit);
  const auditExport = new AuditExportService(context, usageWriter, auditSigningKey, audit);
  const reconcile = new ReconcileService(context, connections, audit);
  const secrets = createSecretServices({ context, connections, audit, scope, use, keys, keyTags: tags });
  const backups = new BackupService({ context, audit, files: deps.files, gate: deps.gate, anchor: deps.anchorer });
  const restores = new RestoreService({ context, audit, files: deps.files, gate: deps.gate, restart: deps.restart });
  const material = new MaterialCheckService(context, connections, audit);
  const networkRules = new NetworkRuleService(context, audit);
  const policies = new PolicyService(context, audit);
  const accessPoints = new AccessPointService(context, audit);
  const accessAuthorizer = new RegistryAccessAuthorizer(context);
  const instanceCa = new InstanceCa(context, connections, audit, scope);
  const clientKeys = new ClientKeyService(context, instanceCa, accessKeySecrets, audit);
  const clientKeyCredentials = new RegistryClientKeyCredentials(context, accessKeySecrets);
  const xks = createXksServices({ context, connections, audit, use, secrets: accessKeySecrets });
  const officerTokens = new OfficerTokens(context);
  const officers = new OfficerService(context, officerTokens, audit);
  const quorumPolicy = new QuorumPolicyService(context, audit);
  const approvals = new ApprovalService(context, officerTokens, audit);
  const ceremonyScripts = new CeremonyScripts(context, audit);
  const ceremonies = new CeremonyService(context, audit, ceremonyScripts, officerTokens);
  const ceremonyTranscripts = new CeremonyTranscripts(context, auditSigningKey, audit);
  const endpoint = createEndpointService({ context, audit, usageWriter, scope, controller: deps.endpointController, ca: instanceCa, credentials: clientKeyCredentials, authorizer: accessAuthorizer, xks: xks.gate });
  return {
    modules, clusters, initializer, cryptoUsers, clusterStores, clusterSync, joiner, keyStores, loginPolicy,
    keys, lifecycle, versions, aliases, keyImport, storeCapabilities, reconcile,
    crypto, asymmetric, mac, auditLog, auditExport, secrets, backups, restores, material,
    networkRules, policies, accessPoints, accessAuthorizer,
    instanceCa, clientKeys, clientKeyCredentials, endpoint, xksProxies: xks.proxies, externalStores,
    officers, quorumPolicy, approvals, ceremonyScripts, ceremonies, ceremonyTranscripts,
  };
}

export type ServiceSet = ReturnType<typeof buildServiceSet>;
