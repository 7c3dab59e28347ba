import {
  accessNameSchema,
  clientKeyPasswordSchema,
  DEFAULT_CLIENT_KEY_YEARS,
  endpointOperations,
  KEY_USER_PERMISSION,
  MAX_SOURCE_ADDRESSES,
  policyResourceSchema,
  SECRET_USER_PERMISSION,
  sourceAddressSchema,
  type Permission,
} from '../../../shared/contract';
import { t, tn } from '../i18n';
import '../i18n/areas/access';
import { pickedAsUtc, utcSecondsText } from './utc-picker';

// Its tests and callers predate utc-picker.ts, which the audit range shares.
export { pickedAsUtc };

/** What the officer reads for each permission of a policy. */
export function permissionLabel(permission: Permission): string {
  return permission === KEY_USER_PERMISSION ? t('access.policies.permissions.keyUser') : t('access.policies.permissions.secretUser');
}
export const PERMISSIONS: readonly Permission[] = [KEY_USER_PERMISSION, SECRET_USER_PERMISSION];

/** The short name of a permission in a table cell. */
export function permissionShortName(permission: string): string {
  if (permission === KEY_USER_PERMISSION) return t('access.policies.permissions.keyUserShort');
  if (permission === SECRET_USER_PERMISSION) return t('access.policies.permissions.secretUserShort');
  return permission;
}

/** The resource forms a policy accepts, shown next to its resource tags. */
export const RESOURCE_HINTS = ['key/*', 'key/<KeyId>', 'alias/<name>', 'secret/*', 'secret/<name>'] as const;

/** Why the contract would refuse a rule, policy or access point name ('' when it would not). */
export function accessNameProblem(name: string): string {
  if (name === '') return '';
  return accessNameSchema.safeParse(name).success ? '' : t('access.names.problem');
}

/** Why the contract would refuse a policy resource ('' when it would not). */
export function resourceProblem(resource: string): string {
  return policyResourceSchema.safeParse(resource).success ? '' : t('access.policies.resources.problem', { resource, forms: RESOURCE_HINTS.join(', ') });
}

export interface ParsedAddresses {
  /** The addresses, trimmed, without blank lines or repeats. */
  addresses: string[];
  /** One line per refused entry, naming its line number; empty when all are acceptable. */
  problems: string[];
}

/** A network rule's addresses as typed, one IP or CIDR block per line, judged by the contract's schema. */
export function parseSourceAddresses(text: string): ParsedAddresses {
  const addresses: string[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const address = line.trim();
    if (address === '' || addresses.includes(address)) return;
    if (sourceAddressSchema.safeParse(address).success) addresses.push(address);
    else problems.push(t('access.networkRules.dialog.badAddress', { line: index + 1, address }));
  });
  if (addresses.length > MAX_SOURCE_ADDRESSES) problems.push(t('access.networkRules.dialog.tooMany', { max: MAX_SOURCE_ADDRESSES }));
  return { addresses, problems };
}

/** The contract's password messages, as the officer's language says them. */
const PASSWORD_MESSAGES: Readonly<Record<string, string>> = {
  'must be 8-64 characters': 'access.createClientKey.passwordLength',
  'must be printable ASCII without spaces': 'access.createClientKey.passwordCharacters',
};

/** Why the contract would refuse a client key password (empty: acceptable). */
export function clientKeyPasswordProblems(password: string): string[] {
  const checked = clientKeyPasswordSchema.safeParse(password);
  if (checked.success) return [];
  const messages = checked.error.issues.map((issue) => {
    const key = PASSWORD_MESSAGES[issue.message];
    return key ? t(key) : issue.message;
  });
  return [...new Set(messages)];
}

/** Which of the lists names a rule or policy: a rule's policies, a policy's access points. */
const DELETION_TEXTS = {
  policies: { inUse: 'access.networkRules.inUse', unused: 'access.networkRules.unused' },
  accessPoints: { inUse: 'access.policies.inUse', unused: 'access.policies.unused' },
} as const;

/**
 * What the confirmation of a rule's or policy's deletion says: which `users` (the rule's policies,
 * the policy's access points) name it (the core then refuses the deletion), or that none does.
 */
export function deletionInUseText(users: readonly string[], usedBy: keyof typeof DELETION_TEXTS): string {
  const texts = DELETION_TEXTS[usedBy];
  return users.length ? t(texts.inUse, { names: users.join(', ') }) : t(texts.unused);
}

export interface ClientKeyValidity {
  /** CreateClientKey's NotBefore / NotAfter, whole seconds in UTC; a field left empty is absent. */
  request: { NotBefore?: string; NotAfter?: string };
  /** Why the key would be refused or unusable ('' when it would not). */
  problem: string;
  /** What each field says below itself: what empty means, or how long the key will be valid. */
  notes: { notBefore: string; notAfter: string };
}

const DAY_MS = 86_400_000;

function validityProblem(start: number | undefined, end: number | undefined, nowMs: number): string {
  if (end === undefined) return '';
  if (start !== undefined && end <= start) return t('access.createClientKey.notAfterBeforeStart');
  if (end <= nowMs) return t('access.createClientKey.notAfterPassed');
  return '';
}

function notAfterNote(start: number, end: number | undefined): string {
  if (end === undefined) return t('access.createClientKey.emptyNotAfter', { years: DEFAULT_CLIENT_KEY_YEARS });
  const days = Math.floor((end - start) / DAY_MS);
  return days < 1 ? t('access.createClientKey.lessThanADay') : tn('access.createClientKey.validForDays', days);
}

/**
 * The validity of a new client key from its two optional pickers (picker milliseconds, null when
 * empty: CreateClientKey's defaults then apply, now and five years). NotAfter must come after
 * NotBefore (after now when that is empty) and not lie in the past: such a key could never connect.
 */
export function clientKeyValidity(notBefore: number | null, notAfter: number | null, nowMs: number): ClientKeyValidity {
  const request: ClientKeyValidity['request'] = {};
  if (notBefore !== null) request.NotBefore = utcSecondsText(pickedAsUtc(notBefore));
  if (notAfter !== null) request.NotAfter = utcSecondsText(pickedAsUtc(notAfter));
  const start = request.NotBefore === undefined ? undefined : Date.parse(request.NotBefore);
  const end = request.NotAfter === undefined ? undefined : Date.parse(request.NotAfter);
  return {
    request,
    problem: validityProblem(start, end, nowMs),
    notes: { notBefore: start === undefined ? t('access.createClientKey.emptyNotBefore') : '', notAfter: notAfterNote(start ?? nowMs, end) },
  };
}

/** The client key file applications load, as Alibaba's KMS instance SDKs read it. */
export function clientKeyFileText(keyId: string, privateKeyData: string): string {
  return `${JSON.stringify({ KeyId: keyId, PrivateKeyData: privateKeyData }, null, 2)}\n`;
}

export function clientKeyFileName(keyId: string): string {
  return `clientKey_${keyId}.json`;
}

export const INSTANCE_CA_FILE_NAME = 'keyward-instance-ca.pem';

/** A SHA-256 fingerprint as certificate viewers show it: upper-case byte pairs split by colons. */
export function formatFingerprint(hex: string): string {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return hex;
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** Why the endpoint could not listen on this address ('' when it could): an IPv4 or IPv6 address, no name. */
export function endpointAddressProblem(address: string): string {
  return endpointOperations.StartApplicationEndpoint.input.shape.Address.safeParse(address).success ? '' : t('access.endpoint.addressProblem');
}

/** The URL applications call: an IPv6 address goes in brackets. */
export function endpointUrl(address: string, port: number): string {
  return `https://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
