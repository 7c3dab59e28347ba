import type { OperationResult } from '../../../shared/contract';

export type ApprovalRequest = OperationResult<'ListApprovalRequests'>['ApprovalRequests'][number];
export type Officer = OperationResult<'ListOfficers'>['Officers'][number];
export type QuorumPolicy = OperationResult<'DescribeQuorumPolicy'>;

/** The operations issue 14 suggests protecting; offered pre-selected when no policy exists yet. */
export const SUGGESTED_OPERATIONS = [
  'InitializeCluster',
  'CreateCryptoUser',
  'ChangeCryptoUserPassword',
  'DeleteHsm',
  'ScheduleKeyDeletion',
  'ImportKeyMaterial',
  'DeleteKeyMaterial',
  'DeleteSecret',
] as const;

/** Secret fields ExecuteApprovedRequest accepts; they never reach the digest officers sign. */
export type ExecutionSecret = 'Password' | 'SoPin' | 'KeyStorePassword' | 'OldPassword' | 'NewPassword';

/** What each protected operation needs at execution, with the label the officer sees. */
const EXECUTION_SECRETS: Readonly<Record<string, readonly ExecutionSecret[]>> = {
  InitializeCluster: ['SoPin'],
  CreateCryptoUser: ['Password', 'SoPin'],
  ChangeCryptoUserPassword: ['OldPassword', 'NewPassword'],
};

export const SECRET_LABELS: Readonly<Record<ExecutionSecret, string>> = {
  Password: 'Password',
  SoPin: 'SO PIN',
  KeyStorePassword: 'Key store password',
  OldPassword: 'Current password',
  NewPassword: 'New password',
};

export function executionSecretsOf(operation: string): readonly ExecutionSecret[] {
  return EXECUTION_SECRETS[operation] ?? [];
}

/** Still open: approvals can be added (PENDING) or it can run (READY). */
export function isOpen(request: ApprovalRequest): boolean {
  return request.State === 'PENDING' || request.State === 'READY';
}

/** The input of a request as key/value rows; nested values as compact JSON. */
export function inputRows(input: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(input).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

/** "1 of 2" and who approved. */
export function approvalProgress(request: ApprovalRequest): string {
  const count = `${request.Approvals.length} of ${request.MinApprovals}`;
  const who = request.Approvals.map((approval) => approval.OfficerName).join(', ');
  return who ? `${count} (${who})` : count;
}

/** Time left before `expires`, as "9 min 12 s"; "expired" once past. */
export function timeLeft(expires: string, now: number): string {
  const seconds = Math.floor((Date.parse(expires) - now) / 1000);
  if (!(seconds > 0)) return 'expired';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

/** The first and last characters of a long hex value: enough to compare by eye, short enough for a table. */
export function shortHex(hex: string, each = 8): string {
  return hex.length > each * 2 + 1 ? `${hex.slice(0, each)}…${hex.slice(-each)}` : hex;
}

/** Where an officer's approval key lives, for the officers table; `moduleName` names a registered module. */
export function keyLocation(officer: Officer, moduleName: (moduleId: string) => string | undefined = () => undefined): string {
  if (!officer.Token) return 'public key only';
  const module = moduleName(officer.Token.ModuleId) ?? officer.Token.ModuleId;
  return `${module} · token ${officer.Token.TokenSerial} · ${officer.Token.KeyLabel}`;
}

/** The commands an officer runs to sign a digest away from Keyward (openssl, or their token with pkcs11-tool). */
export function signingCommands(digest: string): string {
  return [
    '# openssl, with the private key in a PEM file:',
    `printf '%s' ${digest} | xxd -r -p > digest.bin`,
    'openssl dgst -sha256 -sign officer-key.pem digest.bin | base64 -w0',
    '',
    "# pkcs11-tool, with the key on the officer's token (ECDSA with SHA-256 over the digest bytes; raw r||s is accepted):",
    `printf '%s' ${digest} | xxd -r -p > digest.bin`,
    'pkcs11-tool --module <module.so> --login --sign --mechanism ECDSA-SHA256 --label approval --input-file digest.bin --output-file sig.bin',
    'base64 -w0 sig.bin',
  ].join('\n');
}

/** The host's answer that a call now waits for officers' approvals (not a failure). */
export function isQuorumRequired(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { Code?: unknown }).Code === 'QuorumRequired';
}
