/**
 * Page objects of the console's main flows, built on its test ids (docs/test-ids.md) and accessible
 * roles. The project's own UI suite uses them too, so they follow the console. Renaming a method is a
 * breaking change for the kit's users, as renaming a listed test id is.
 */
export {
  AccessPointDialog,
  CreateClientKeyDialog,
  NetworkRuleDialog,
  PolicyDialog,
  type AccessPermission,
  type AccessPointFields,
  type NetworkRuleFields,
  type PolicyFields,
  type ResourceEntry,
} from './access-point-dialogs';
export { AccessList, AccessPointsPage, ApplicationEndpointCard, type AccessTab } from './access-points-page';
export { addHsm } from './add-hsm-form';
export { ApprovalRequestCard, ApprovalsPage, QuorumNotice, type ApprovalProof, type ExecutionSecrets } from './approvals-page';
export { AuditPage } from './audit-page';
export { BackupFileForm, BackupPage, CreateBackupDialog, RestoreFromBackupForm, type CreateBackupOptions } from './backup-page';
export { CeremoniesPage, type SignOffProof, type TranscriptFile } from './ceremonies-page';
export { ClusterWizardPage, type ClusterOptions, type WizardStep } from './cluster-wizard-page';
export { CreateKeyDialog, type CreateKeyOptions } from './create-key-dialog';
export { AsymmetricEncryptPanel, DataKeyPanel, EncryptPanel, MacPanel, SignPanel, type EncryptionContext } from './crypto-panels';
export {
  CreateExternalKeyStoreDialog,
  EditXksProxyDialog,
  ExternalKeyStorePage,
  ExternalKeyStoreRow,
  ExternalKeyStoresPage,
  type XksProxySettings,
} from './external-key-store-page';
export { KeyDetailPage, type KeyAction, type KeyTab } from './key-detail-page';
export { KeyStorePage } from './key-store-page';
export { KeyStoresPage } from './key-stores-page';
export { KeysPage, type KeysFilter } from './keys-page';
export { OfficersPage, type OfficerEnrollment, type OfficerKeySource, type QuorumPolicyChange } from './officers-page';
export { ReconcileDialog } from './reconcile-dialog';
export { SecretDetailPage, SecretsPage, type CreateSecretOptions } from './secrets-page';
export { UnlockPage } from './unlock-page';
export { CreateXksProxyDialog, DeleteXksProxyDialog, XksCredentialDialog, XksProxiesPage, type XksShownCredential } from './xks-proxies-page';
