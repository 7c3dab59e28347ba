import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type OfficerRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { verifiesDigest } from '../quorum/approval-keys';
import type { OfficerTokens } from '../quorum/officer-tokens';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { digestFieldsOf, signOffDigest } from './ceremony-records';
import { findStep, type CeremonyLoader } from './ceremony-loader';

/**
 * Witnesses sign a done step off: each signs the digest of the step as recorded, with the approval
 * key they were enrolled with (on their token with their PIN, or elsewhere). Once as many distinct
 * witnesses as the step asks for have, it is SIGNED_OFF and the next step may run.
 */
export class CeremonySignOff {
  constructor(
    private readonly context: ServiceContext,
    private readonly tokens: OfficerTokens,
    private readonly audit: AuditTrail,
    private readonly loader: CeremonyLoader,
  ) {}

  async signOff(input: ParsedInput<'SignOffCeremonyStep'>, request: RequestContext): Promise<OperationResult<'SignOffCeremonyStep'>> {
    const { registry } = this.context;
    const loaded = this.loader.loadForWrite(input.CeremonyId, request);
    const { step, scriptStep } = findStep(loaded, input.StepId);
    if (step.state !== 'DONE') throw notDone(input.StepId, step.state);
    if (!loaded.row.participants.some((participant) => participant.officerName === input.OfficerName && participant.role === 'WITNESS')) {
      throw new KmsError('Forbidden.CeremonyParticipants', `Officer ${input.OfficerName} is not a WITNESS of ceremony ${loaded.row.id}.`);
    }
    const officer = enabledOfficer(registry.officers.get(input.OfficerName), input.OfficerName);
    if (registry.ceremonies.signOffs(loaded.row.id).some((signOff) => signOff.stepId === step.stepId && signOff.officerName === officer.name)) {
      throw signedTwice(officer.name, step.stepId);
    }
    const digest = signOffDigest(digestFieldsOf(loaded.row, scriptStep.Title, step));
    const signature = input.Signature !== undefined ? Buffer.from(input.Signature, 'base64') : await this.tokens.signAsOfficer(officer, digest, input.Pin ?? '', 'sign off');
    if (!verifiesDigest(officer.publicKey, digest, signature)) {
      throw new KmsError('InvalidApprovalSignature', `The signature is not ${officer.name}'s over digest ${digest} of step ${step.stepId}.`);
    }
    const details = { CeremonyId: loaded.row.id, StepId: step.stepId, OfficerName: officer.name, Digest: digest };
    try {
      this.audit.recordChange(request, { operation: 'SignOffCeremonyStep', resourceId: loaded.row.id, details }, () => {
        // Checked again under the write lock: the step must still be the one that was signed.
        const again = this.loader.load(loaded.row.id);
        const now = findStep(again, step.stepId).step;
        if (now.state !== 'DONE' || signOffDigest(digestFieldsOf(again.row, scriptStep.Title, now)) !== digest) throw notDone(step.stepId, now.state);
        enabledOfficer(registry.officers.get(officer.name), officer.name);
        registry.ceremonies.insertSignOff({ ceremonyId: loaded.row.id, stepId: step.stepId, officerName: officer.name, digest, signature, signedAt: isoNow(this.context) });
        const signers = registry.ceremonies.signOffs(loaded.row.id).filter((signOff) => signOff.stepId === step.stepId).length;
        if (signers >= scriptStep.WitnessSignOffs) registry.ceremonies.saveStep({ ...now, state: 'SIGNED_OFF' }, ['DONE']);
      });
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') throw signedTwice(officer.name, step.stepId);
      throw error;
    }
    return this.loader.describeStep(loaded.row.id, step.stepId);
  }
}

function enabledOfficer(officer: OfficerRow | null, name: string): OfficerRow {
  if (!officer) throw new KmsError('NotFound.Officer', `Officer ${name} is not enrolled.`);
  if (officer.state !== 'ENABLED') throw new KmsError('Forbidden.OfficerState', `Officer ${name} is disabled; their sign-off does not count.`);
  return officer;
}

function notDone(stepId: string, state: string): KmsError {
  return new KmsError('Forbidden.CeremonyStepOrder', `Step ${stepId} is ${state}: only a DONE step waiting for its sign-offs can be signed off.`);
}

function signedTwice(name: string, stepId: string): KmsError {
  return new KmsError('AlreadyExists.Approval', `Officer ${name} has already signed step ${stepId} off; sign-offs must come from distinct witnesses.`);
}

