/**
 * The one error shape every transport returns: `{Code, Message, RequestId}`.
 * Codes are stable strings; clients branch on them, never on messages.
 */
export const ERROR_CODES = [
  'InvalidParameter',
  'InvalidAction',
  'RequestTooLarge',
  'MissingParameter',
  'NotFound.Key',
  'NotFound.KeyVersion',
  'NotFound.Alias',
  'NotFound.KeyStore',
  'NotFound.Module',
  'AlreadyExists.KeyStore',
  'AlreadyExists.Alias',
  'Forbidden.KeyState',
  'Forbidden.KeyUsage',
  'Forbidden.KeyStoreState',
  'InvalidCiphertext',
  // Import of external key material.
  'InvalidImportToken',
  'ExpiredImportToken',
  'InvalidKeyMaterial',
  'UnsupportedOperation',
  'HsmError.PinIncorrect',
  'HsmError.PinInvalid',
  'HsmError.PinLocked',
  'HsmError.DeviceRemoved',
  'HsmError.DeviceError',
  'HsmError.TokenNotPresent',
  'HsmError.MechanismInvalid',
  'HsmError.ObjectNotFound',
  'HsmError.ModuleLoadFailed',
  'HsmError.WorkerCrashed',
  'HsmError.Generic',
  'InternalFailure',
  // HSM clusters, crypto users and cluster key stores.
  'NotFound.Cluster',
  'NotFound.Hsm',
  'NotFound.CryptoUser',
  'AlreadyExists.Cluster',
  'AlreadyExists.Hsm',
  'AlreadyExists.CryptoUser',
  'AlreadyExists.Module',
  'Forbidden.ClusterState',
  'Forbidden.ModuleInUse',
  'Forbidden.KeyStoreNotEmpty',
  'InsufficientHsms',
  'TrustAnchorMismatch',
  'Cluster.PartialFailure',
  // A PKCS#11 library outside the trusted locations, not confirmed by the officer.
  'Forbidden.UntrustedModule',
  // The CLI refuses a data directory a running console (browser host, Electron app) holds.
  'Forbidden.DataDirInUse',
  // Too many failed logins: the next attempt must wait (the password was not tried).
  'Throttling.LoginBackoff',
  // Every session of the token stayed busy for the whole wait: the call was not started.
  'Throttling.HsmSessionsBusy',
  // Secrets Manager.
  'NotFound.Secret',
  'NotFound.SecretVersion',
  'AlreadyExists.Secret',
  // The VersionId exists with other data (the same data is an idempotent retry).
  'AlreadyExists.SecretVersion',
  // A check-and-set failed: ACSCurrent (or the stage to move) is not on the version the caller named.
  'Conflict.SecretVersion',
  // The secret is scheduled for deletion: only RestoreSecret, DescribeSecret and the lists reach it.
  'Forbidden.SecretState',
  'LimitExceeded.SecretVersionStage',
  // A CMK still protects live secrets (the message gives the count).
  'Forbidden.KeyInUse',
  // Backup and recovery.
  'NotFound.File',
  // The file is not a Keyward backup at all (wrong magic or an unreadable header).
  'InvalidBackup.NotABackup',
  // The file ends before its declared length: a copy cut short.
  'InvalidBackup.Truncated',
  // The password opened the backup but its manifest or contents fail their integrity check.
  'InvalidBackup.Corrupted',
  // Made by a newer Keyward (format or registry schema) than this one can restore.
  'InvalidBackup.NewerSchema',
  'IncorrectBackupPassword',
  // RestoreBackup goes only into a data directory that holds nothing yet.
  'Forbidden.DataDirNotEmpty',
  // One backup or restore at a time.
  'Forbidden.BackupInProgress',
  // Application access points and the application endpoint.
  'NotFound.NetworkRule',
  'NotFound.Policy',
  'NotFound.ApplicationAccessPoint',
  'NotFound.ClientKey',
  'AlreadyExists.NetworkRule',
  'AlreadyExists.Policy',
  'AlreadyExists.ApplicationAccessPoint',
  // A network rule a policy uses, or a policy an access point uses.
  'Forbidden.ResourceInUse',
  // Start of a running endpoint, stop of a stopped one.
  'Forbidden.EndpointState',
  // The address is not this machine's, or the port is taken.
  'EndpointAddressUnavailable',
  // Refusals of application calls (the endpoint maps them to HTTP statuses and AWS error types).
  'Unauthenticated.ClientCertificate',
  'Unauthenticated.ClientKeyRevoked',
  'Unauthenticated.Signature',
  'Unauthenticated.SignatureExpired',
  'Forbidden.SourceAddress',
  'Forbidden.Permission',
  'Forbidden.Resource',
  'Forbidden.ManagementOperation',
  // XKS proxies Keyward serves (AWS KMS External Key Store Proxy API).
  'NotFound.XksProxy',
  'AlreadyExists.XksProxy',
  // RetireXksProxyCredential when the proxy has a single credential (retiring it would lock everyone out).
  'Forbidden.XksProxyCredential',
  // External key stores: the XKS proxy Keyward calls could not be used (ConnectKeyStore maps each to an XKS_PROXY_* connection error code).
  'XksProxy.Unreachable',
  'XksProxy.TimedOut',
  'XksProxy.AccessDenied',
  'XksProxy.InvalidResponse',
  'XksProxy.InvalidConfiguration',
  'XksProxy.InvalidTlsConfiguration',
  'Throttling.XksProxy',
  // The external key behind an XKS proxy: absent, not AES_256 ENCRYPT/DECRYPT, or disabled there.
  'XksKey.NotFound',
  'XksKey.InvalidConfiguration',
  'XksKey.InvalidState',
  // Officers and quorum.
  'QuorumRequired',
  'NotFound.Officer',
  'AlreadyExists.Officer',
  'Forbidden.OfficerState',
  'Forbidden.Quorum',
  'NotFound.ApprovalRequest',
  'Forbidden.ApprovalRequestState',
  'AlreadyExists.Approval',
  'InvalidApprovalSignature',
  // Ceremonies.
  'InvalidCeremonyScript',
  'NotFound.CeremonyScript',
  'AlreadyExists.CeremonyScript',
  'NotFound.Ceremony',
  'Forbidden.CeremonyState',
  'Forbidden.CeremonyStepOrder',
  'Forbidden.CeremonyParticipants',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface KmsErrorBody {
  Code: ErrorCode;
  Message: string;
  RequestId: string;
  /** What a caller needs to act on some refusals (QuorumRequired: ApprovalRequestId, RequestDigest, Expires); never a secret. */
  Details?: Record<string, string>;
}

/** Thrown by services; transports turn it into a KmsErrorBody. Messages must never carry a secret. */
export class KmsError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, string>) {
    super(message);
    this.name = 'KmsError';
    this.code = code;
    this.details = details;
  }
}

/** The code of a KmsError (HsmError included); null for anything else (a bug, not a refusal). */
export function errorCodeOf(error: unknown): ErrorCode | null {
  return error instanceof KmsError ? error.code : null;
}

export function isKmsErrorBody(value: unknown): value is KmsErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.Code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(candidate.Code) &&
    typeof candidate.Message === 'string' &&
    typeof candidate.RequestId === 'string'
  );
}
