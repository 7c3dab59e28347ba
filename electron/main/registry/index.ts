/**
 * The key registry: the only place in the app that talks SQL. Services open one Registry at
 * start, use its repositories inside `registry.transaction` so that each change and its audit
 * record commit together, and record crypto usage through a buffered audit writer.
 */
export { openRegistry, type OpenRegistryOptions, type Registry } from './registry';
export { canonicalJson } from './canonical-json';
export { readSnapshotSummary, type SnapshotSummary } from './snapshot-summary';
export {
  RegistryError,
  SchemaTooNewError,
  RegistryConstraintError,
  AuditSecretError,
  AuditBacklogFullError,
  AuditWriterClosedError,
  type ConstraintKind,
} from './errors';
export type { Page, PageRequest } from './sql';

export type { MetaRepository } from './repositories/meta';
export type { ModuleRow, ModulesRepository } from './repositories/modules';
export type { KeyStoreRow, KeyStorePatch, KeyStoreType, KeyStoresRepository } from './repositories/key-stores';
export type { KeyRow, KeyListRow, KeyPatch, AutomaticRotation } from './repositories/key-row';
export type { KeyListFilter, KeyListFilterKey } from './repositories/key-list-query';
export type { KeysRepository, KeyListQuery } from './repositories/keys';
export type { KeyVersionRow, KeyVersionsRepository, StoredKeyVersionRow } from './repositories/key-versions';
export type { AliasRow, AliasesRepository } from './repositories/aliases';
export type { TagRow, TagsRepository } from './repositories/tags';
export type { ClusterRow, ClusterPatch, ClusterState, ClustersRepository } from './repositories/clusters';
export type { HsmRow, HsmPatch, HsmState, HsmsRepository } from './repositories/hsms';
export type { CryptoUserRow, CryptoUsersRepository } from './repositories/crypto-users';
export type { ImportTokenRow, ImportTokensRepository } from './repositories/import-tokens';
export type { LoginGuardRow, LoginGuardsRepository } from './repositories/login-guards';
export type {
  SecretRow,
  SecretPatch,
  SecretTagRow,
  SecretListRow,
  SecretListFilter,
  SecretListQuery,
  SecretsRepository,
} from './repositories/secrets';
export type { SecretVersionRow, SecretVersionInfo, SecretStageRow, SecretVersionsRepository } from './repositories/secret-versions';
export type { BackupRow, BackupKind, BackupsRepository, RegistryCounts } from './repositories/backups';
export type { AuditRepository, AuditListFilter, AuditListFilterKey, AuditListQuery, CheckedAuditLog } from './repositories/audit';
export type { ClientKeyRow, ClientKeySummaryRow, ClientKeysRepository } from './repositories/client-keys';
export type { InstanceCaRow, InstanceCaRepository } from './repositories/instance-ca';
export type { NetworkRuleRow, NetworkRulePatch, NetworkRulesRepository } from './repositories/network-rules';
export type { AccessPolicyRow, AccessPolicyPatch, AccessPoliciesRepository } from './repositories/access-policies';
export type { AccessPointRow, AccessPointPatch, AccessGrantRow, AccessPointsRepository } from './repositories/access-points';
export type { ExternalKeyStoreRow, ExternalKeyStoresRepository } from './repositories/external-key-stores';
export type { ApprovalRequestRow, ApprovalRow, OfficerRow, OfficersRepository, QuorumPolicyRow } from './repositories/officers';
export type {
  CeremoniesRepository,
  CeremonyDeviationRow,
  CeremonyParticipantRow,
  CeremonyRow,
  CeremonyScriptRow,
  CeremonySignOffRow,
  CeremonyState,
  CeremonyStepRow,
  CeremonyStepState,
} from './repositories/ceremonies';
export type { XksProxyRow, XksCredentialRow, XksExposedKeyRow, XksProxiesRepository } from './repositories/xks-proxies';

export {
  GENESIS_HASH,
  auditRecordHash,
  type AuditDetails,
  type AuditEventInput,
  type PendingAuditRecord,
  type AuditOutcome,
  type AuditRecord,
  type AuditRow,
} from './audit/record';
export { SECRET_KEY_PATTERN } from './audit/secret-guard';
export type { AuditVerification, AuditHead } from './audit/verify';
export { extendChain, type ChainExtension, type CheckpointCheck, type CheckpointStatus } from './audit/checkpoints';
export {
  createBufferedAuditWriter,
  type BufferedAuditWriter,
  type BufferedAuditWriterOptions,
  type AuditSink,
} from './audit/buffered-writer';
