import type { OperationResult } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/ceremonies';
import type { ApprovalRequest } from './approval-state';

export { isOpen, type ApprovalRequest } from './approval-state';
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

/** What each protected operation needs at execution (the label the officer sees: `secretLabel`). */
const EXECUTION_SECRETS: Readonly<Record<string, readonly ExecutionSecret[]>> = {
  InitializeCluster: ['SoPin'],
  CreateCryptoUser: ['Password', 'SoPin'],
  ChangeCryptoUserPassword: ['OldPassword', 'NewPassword'],
};

/** The field's label in the console's language ("SO PIN" is the same in every language). */
export function secretLabel(field: ExecutionSecret): string {
  switch (field) {
    case 'Password':
      return t('common.password');
    case 'SoPin':
      return 'SO PIN';
    case 'KeyStorePassword':
      return t('ceremonies.quorum.secrets.keyStorePassword');
    case 'OldPassword':
      return t('ceremonies.quorum.secrets.oldPassword');
    case 'NewPassword':
      return t('ceremonies.quorum.secrets.newPassword');
  }
}

export function executionSecretsOf(operation: string): readonly ExecutionSecret[] {
  return EXECUTION_SECRETS[operation] ?? [];
}

/** The input of a request as key/value rows; nested values as compact JSON. */
export function inputRows(input: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(input).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

/** "1 of 2" and who approved. */
export function approvalProgress(request: ApprovalRequest): string {
  const count = t('ceremonies.quorum.progress', { count: request.Approvals.length, total: request.MinApprovals });
  const who = request.Approvals.map((approval) => approval.OfficerName).join(t('ceremonies.listSeparator'));
  return who ? t('ceremonies.quorum.progressWho', { progress: count, officers: who }) : count;
}

/** Time left before `expires`, as "9 min 12 s"; "expired" once past. */
export function timeLeft(expires: string, now: number): string {
  const seconds = Math.floor((Date.parse(expires) - now) / 1000);
  if (!(seconds > 0)) return t('ceremonies.quorum.expired');
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? t('ceremonies.quorum.minutesSeconds', { minutes, seconds: seconds % 60 }) : t('ceremonies.quorum.seconds', { seconds });
}

/** The first and last characters of a long hex value: enough to compare by eye, short enough for a table. */
export function shortHex(hex: string, each = 8): string {
  return hex.length > each * 2 + 1 ? `${hex.slice(0, each)}…${hex.slice(-each)}` : hex;
}

/** Where an officer's approval key lives, for the officers table; `moduleName` names a registered module. */
export function keyLocation(officer: Officer, moduleName: (moduleId: string) => string | undefined = () => undefined): string {
  if (!officer.Token) return t('ceremonies.quorum.publicKeyOnly');
  const module = moduleName(officer.Token.ModuleId) ?? officer.Token.ModuleId;
  return t('ceremonies.quorum.keyLocation', { module, serial: officer.Token.TokenSerial, label: officer.Token.KeyLabel });
}

/** The commands an officer runs to sign a digest away from Keyward (openssl, or their token with pkcs11-tool). */
export function signingCommands(digest: string): string {
  // The commands stay as written in every language; only their comments are translated.
  const toBinary = `printf '%s' ${digest} | xxd -r -p > digest.bin`; // i18n-exempt: a command line
  return [
    `# ${t('ceremonies.quorum.opensslComment')}`,
    toBinary,
    'openssl dgst -sha256 -sign officer-key.pem digest.bin | base64 -w0',
    '',
    `# ${t('ceremonies.quorum.pkcs11Comment')}`,
    toBinary,
    'pkcs11-tool --module <module.so> --login --sign --mechanism ECDSA-SHA256 --label approval --input-file digest.bin --output-file sig.bin',
    'base64 -w0 sig.bin',
  ].join('\n');
}

/** The host's answer that a call now waits for officers' approvals (not a failure). */
export function isQuorumRequired(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { Code?: unknown }).Code === 'QuorumRequired';
}
