import type { Officer, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type OfficerRow } from '../../registry';
import { apiDate } from '../api-date';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { approvalPublicKey } from './approval-keys';
import type { OfficerTokens } from './officer-tokens';

export function toOfficer(row: OfficerRow): Officer {
  return {
    Name: row.name,
    Roles: row.roles as Officer['Roles'],
    State: row.state,
    KeySpec: row.keySpec,
    PublicKey: row.publicKey,
    PublicKeyFingerprint: row.fingerprint,
    Token: row.moduleId && row.tokenSerial && row.keyLabel ? { ModuleId: row.moduleId, TokenSerial: row.tokenSerial, KeyLabel: row.keyLabel } : null,
    CreationDate: apiDate(row.createdAt),
  };
}

/** Officers: enrolled with the public half of their approval key; disabled (never deleted: old approvals name them). */
export class OfficerService {
  constructor(
    private readonly context: ServiceContext,
    private readonly tokens: OfficerTokens,
    private readonly audit: AuditTrail,
  ) {}

  async create(input: ParsedInput<'CreateOfficer'>, request: RequestContext): Promise<OperationResult<'CreateOfficer'>> {
    const { registry } = this.context;
    if (registry.officers.get(input.Name)) throw new KmsError('AlreadyExists.Officer', `Officer ${input.Name} is already enrolled.`);
    const approvalKey = input.ApprovalKey;
    const found =
      'PublicKey' in approvalKey
        ? { key: approvalPublicKey(approvalKey.PublicKey), token: null }
        : await this.fromToken(approvalKey, input.Pin);
    const now = isoNow(this.context);
    const row: OfficerRow = {
      name: input.Name,
      roles: [...new Set(input.Roles)],
      keySpec: found.key.keySpec,
      publicKey: found.key.pem,
      fingerprint: found.key.fingerprint,
      moduleId: found.token?.moduleId ?? null,
      tokenSerial: found.token?.serial ?? null,
      keyLabel: found.token?.keyLabel ?? null,
      state: 'ENABLED',
      createdAt: now,
      updatedAt: now,
    };
    const details = { Roles: row.roles.join(','), KeySpec: row.keySpec, PublicKeyFingerprint: row.fingerprint, ...(found.token ? { ModuleId: found.token.moduleId, TokenSerial: found.token.serial } : {}) };
    try {
      this.audit.recordChange(request, { operation: 'CreateOfficer', resourceId: row.name, details }, () => registry.officers.insert(row));
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.Officer', `Officer ${input.Name} exists, or this approval key (${row.fingerprint.slice(0, 16)}…) is already enrolled.`);
      }
      throw error;
    }
    return { Officer: toOfficer(row) };
  }

  list(): OperationResult<'ListOfficers'> {
    return { Officers: this.context.registry.officers.list().map(toOfficer) };
  }

  disable(input: ParsedInput<'DisableOfficer'>, request: RequestContext): OperationResult<'DisableOfficer'> {
    const { registry } = this.context;
    return registry.transaction(() => {
      const officer = registry.officers.get(input.Name);
      if (!officer) throw new KmsError('NotFound.Officer', `Officer ${input.Name} is not enrolled.`);
      if (officer.state === 'DISABLED') return { Name: officer.name, State: officer.state };
      const policy = registry.officers.policy();
      const remaining = registry.officers.countEnabled() - 1;
      if (policy && remaining < policy.minApprovals) {
        throw new KmsError('Forbidden.Quorum', `Disabling ${officer.name} would leave ${remaining} enabled officer(s), fewer than the ${policy.minApprovals} approvals the quorum policy needs.`);
      }
      this.audit.recordChange(request, { operation: 'DisableOfficer', resourceId: officer.name }, () =>
        registry.officers.setState(officer.name, 'DISABLED', isoNow(this.context)),
      );
      return { Name: officer.name, State: 'DISABLED' as const };
    });
  }

  private async fromToken(key: { ModuleId: string; TokenSerial?: string | undefined; SlotId?: number | undefined; KeyLabel: string }, pin: string | undefined) {
    if ((key.TokenSerial === undefined) === (key.SlotId === undefined)) {
      throw new KmsError('InvalidParameter', 'ApprovalKey names its token with exactly one of TokenSerial and SlotId.');
    }
    if (pin === undefined) throw new KmsError('MissingParameter', "Pin (the officer's token PIN) is required to read an approval key from a token.");
    const { key: publicKey, serial } = await this.tokens.readPublicKey(key.ModuleId, key, key.KeyLabel, pin);
    return { key: publicKey, token: { moduleId: key.ModuleId, serial, keyLabel: key.KeyLabel } };
  }
}
