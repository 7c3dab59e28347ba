import type { OfficerRole, OperationResult } from '../../../shared/contract';
import type { Officer } from './quorum';

export type CeremonyScriptSummary = OperationResult<'ListCeremonyScripts'>['Scripts'][number];
export type CeremonyScriptDefinition = CeremonyScriptSummary['Script'];
export type ScriptStep = CeremonyScriptDefinition['Steps'][number];
export type Ceremony = OperationResult<'DescribeCeremony'>['Ceremony'];
export type CeremonySummary = OperationResult<'ListCeremonies'>['Ceremonies'][number];
export type CeremonyStepRecord = Ceremony['Steps'][number];
export type CeremonyStepState = CeremonyStepRecord['State'];
export type CeremonyTranscriptExport = OperationResult<'ExportCeremonyTranscript'> & { SigningKeySha256: string };
export interface Participant {
  OfficerName: string;
  Role: OfficerRole;
}

/** Officers chosen per role in the start dialog: role → officer names. */
export type ParticipantChoice = Partial<Record<OfficerRole, string[]>>;

/** What the start dialog still lacks for a role: "WITNESS: 1 more (2 needed)". */
export interface MissingRole {
  role: OfficerRole;
  needed: number;
  chosen: number;
}

/** Enabled officers holding the role: who may take it in a ceremony. */
export function officersForRole(officers: readonly Officer[], role: OfficerRole): Officer[] {
  return officers.filter((officer) => officer.State === 'ENABLED' && officer.Roles.includes(role));
}

/** The roles the script names that have fewer officers chosen than its Count. */
export function missingRoles(script: CeremonyScriptDefinition, choice: ParticipantChoice): MissingRole[] {
  return script.Roles.flatMap(({ Role, Count }) => {
    const chosen = choice[Role]?.length ?? 0;
    return chosen < Count ? [{ role: Role, needed: Count, chosen }] : [];
  });
}

/** StartCeremony's Participants: one entry per (officer, role), in the script's role order. */
export function participantsOf(script: CeremonyScriptDefinition, choice: ParticipantChoice): Participant[] {
  return script.Roles.flatMap(({ Role }) => (choice[Role] ?? []).map((OfficerName) => ({ OfficerName, Role })));
}

export function scriptStep(script: CeremonyScriptDefinition | null, stepId: string): ScriptStep | null {
  return script?.Steps.find((step) => step.StepId === stepId) ?? null;
}

export function currentStep(ceremony: Ceremony): CeremonyStepRecord | null {
  return ceremony.Steps.find((step) => step.StepId === ceremony.CurrentStepId) ?? null;
}

/** The witness participants, each once: who may sign steps off. */
export function witnessesOf(ceremony: Pick<Ceremony, 'Participants'>): string[] {
  return [...new Set(ceremony.Participants.filter((participant) => participant.Role === 'WITNESS').map((participant) => participant.OfficerName))];
}

/** Splits the values typed for a step into RunCeremonyStep's Input (parameters) and Secrets, leaving out empty ones. */
export function stepValues(step: ScriptStep | null, typed: Readonly<Record<string, string>>): { Input: Record<string, string>; Secrets: Record<string, string> } {
  const Input: Record<string, string> = {};
  const Secrets: Record<string, string> = {};
  for (const parameter of step?.Parameters ?? []) {
    const value = typed[parameter.Name] ?? '';
    if (value === '') continue;
    (parameter.Secret ? Secrets : Input)[parameter.Name] = value;
  }
  return { Input, Secrets };
}

/** Sign-offs a step still needs; 0 once enough witnesses signed (or none are asked for). */
export function signOffsLeft(step: ScriptStep | null, record: CeremonyStepRecord): number {
  return Math.max(0, (step?.WitnessSignOffs ?? 0) - record.SignOffs.length);
}

/** A step whose outcome is settled (nothing will run it again). */
export function isSettled(state: CeremonyStepState): boolean {
  return state === 'SIGNED_OFF' || state === 'SKIPPED';
}

/** The current step may be run: not yet run, refused, or waiting for its approved request to run. */
export function isRunnable(state: CeremonyStepState): boolean {
  return state === 'PENDING' || state === 'FAILED' || state === 'AWAITING_APPROVAL';
}

/** Every step is signed off or skipped: the ceremony may be completed. */
export function readyToComplete(ceremony: Ceremony): boolean {
  return ceremony.State === 'IN_PROGRESS' && ceremony.Steps.every((step) => isSettled(step.State));
}
