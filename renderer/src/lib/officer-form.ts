import type { OperationInput } from '../../../shared/contract';
import type { ModuleDetail } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/ceremonies';

export const OFFICER_ROLES = ['CEREMONY_ADMINISTRATOR', 'CRYPTO_OFFICER', 'WITNESS', 'AUDITOR'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** What the enrolment dialog collects. */
export interface EnrollForm {
  name: string;
  roles: OfficerRole[];
  source: 'token' | 'pem';
  moduleId: string | null;
  tokenSerial: string | null;
  keyLabel: string;
  pin: string;
  publicKey: string;
}

export function emptyEnrollForm(): EnrollForm {
  return { name: '', roles: ['CRYPTO_OFFICER'], source: 'token', moduleId: null, tokenSerial: null, keyLabel: 'approval', pin: '', publicKey: '' };
}

/** The CreateOfficer input, or null while something it needs is missing (the host checks the rest). */
export function enrollInput(form: EnrollForm): OperationInput<'CreateOfficer'> | null {
  const name = form.name.trim();
  if (!name || form.roles.length === 0) return null;
  if (form.source === 'pem') {
    const pem = form.publicKey.trim();
    return pem ? { Name: name, Roles: form.roles, ApprovalKey: { PublicKey: pem } } : null;
  }
  const label = form.keyLabel.trim();
  if (!form.moduleId || !form.tokenSerial || !label || !form.pin) return null;
  return { Name: name, Roles: form.roles, ApprovalKey: { ModuleId: form.moduleId, TokenSerial: form.tokenSerial, KeyLabel: label }, Pin: form.pin };
}

/** Initialized tokens of a module, as select options "label (serial)". */
export function tokenOptions(module: ModuleDetail | undefined): { label: string; value: string }[] {
  return (module?.Slots ?? []).flatMap((slot) =>
    slot.Token?.Initialized ? [{ label: t('ceremonies.enrollDialog.tokenOption', { label: slot.Token.Label, serial: slot.Token.Serial }), value: slot.Token.Serial }] : [],
  );
}
