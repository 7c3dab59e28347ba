/**
 * The crypto user kmsuser: its password is the user PIN of every member token. Keyward records
 * only that the user exists; the HSMs check the password. A change runs member by member and is
 * rolled back on the members already changed when one fails, so the members never disagree.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { RegistryConstraintError } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { clusterSubject, type LoginGuard } from '../keystores/login-guard';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { memberToken, probeJoinedMembers, type ProbedMember } from './cluster-members';
import { requireCluster } from './cluster-state';
import { apiDate } from '../api-date';

type MemberStatus = OperationResult<'ChangeCryptoUserPassword'>['Members'][number];

function codeOf(error: unknown): string {
  return errorCodeOf(error) ?? 'InternalFailure';
}

export class CryptoUserService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    private readonly loginGuard: LoginGuard,
  ) {}

  async create(input: ParsedInput<'CreateCryptoUser'>, request: RequestContext): Promise<OperationResult<'CreateCryptoUser'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    if (cluster.state === 'UNINITIALIZED') {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is UNINITIALIZED; initialize it before creating crypto users.`);
    }
    if (this.context.registry.cryptoUsers.get(cluster.id, input.UserName)) {
      throw new KmsError('AlreadyExists.CryptoUser', `Crypto user ${input.UserName} already exists on cluster ${cluster.id}.`);
    }
    const members = await this.reachableMembers(cluster.id, 'create the crypto user');
    // C_InitPIN logs in as SO: the first member's answer is a check of the SO PIN.
    await this.loginGuard.attempt(clusterSubject(this.context.registry, cluster.id), request, { operation: 'CreateCryptoUser', resourceId: cluster.id }, async () => {
      const done: string[] = [];
      for (const { member } of members) {
        try {
          await memberToken(member).initUserPin({ soPin: input.SoPin, userPin: input.Password });
          done.push(member.row.id);
        } catch (error) {
          if (done.length === 0) throw error;
          // C_InitPIN cannot be undone, but repeating CreateCryptoUser sets the PIN everywhere again.
          throw new KmsError(
            'Cluster.PartialFailure',
            `Crypto user ${input.UserName} was set on ${done.join(', ')} but HSM ${member.row.id} refused (${codeOf(error)}); the user is not recorded, repeat CreateCryptoUser.`,
          );
        }
      }
    });
    const now = isoNow(this.context);
    try {
      this.audit.recordChange(
        request,
        { operation: 'CreateCryptoUser', resourceId: cluster.id, details: { UserName: input.UserName, HsmCount: members.length } },
        () => this.context.registry.cryptoUsers.insert({ clusterId: cluster.id, userName: input.UserName, createdAt: now, updatedAt: now }),
      );
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.CryptoUser', `Crypto user ${input.UserName} already exists on cluster ${cluster.id}.`);
      }
      throw error;
    }
    return { ClusterId: cluster.id, UserName: input.UserName };
  }

  async changePassword(
    input: ParsedInput<'ChangeCryptoUserPassword'>,
    request: RequestContext,
  ): Promise<OperationResult<'ChangeCryptoUserPassword'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    if (!this.context.registry.cryptoUsers.get(cluster.id, input.UserName)) {
      throw new KmsError('NotFound.CryptoUser', `Crypto user ${input.UserName} does not exist on cluster ${cluster.id}.`);
    }
    const members = await this.reachableMembers(cluster.id, 'change the password');
    const statuses: MemberStatus[] = members.map(({ member }) => ({ HsmId: member.row.id, Status: 'NOT_ATTEMPTED', ErrorCode: null }));
    // The first member's C_SetPIN checks OldPassword.
    await this.loginGuard.attempt(clusterSubject(this.context.registry, cluster.id), request, { operation: 'ChangeCryptoUserPassword', resourceId: cluster.id }, async () => {
      for (const [index, { member }] of members.entries()) {
        const status = statuses[index];
        if (!status) continue;
        try {
          await memberToken(member).setUserPin({ oldPin: input.OldPassword, newPin: input.NewPassword });
          status.Status = 'CHANGED';
        } catch (error) {
          status.Status = 'FAILED';
          status.ErrorCode = codeOf(error);
          await this.rollBack(members.slice(0, index), statuses, input);
          if (index === 0) throw error;
          throw new KmsError('Cluster.PartialFailure', `The password was not changed: ${describeStatuses(statuses)}.`);
        }
      }
    });
    this.audit.recordChange(
      request,
      { operation: 'ChangeCryptoUserPassword', resourceId: cluster.id, details: { UserName: input.UserName, HsmCount: members.length } },
      () => this.context.registry.cryptoUsers.touch(cluster.id, input.UserName, isoNow(this.context)),
    );
    return { ClusterId: cluster.id, UserName: input.UserName, Members: statuses };
  }

  describe(input: ParsedInput<'DescribeCryptoUsers'>): OperationResult<'DescribeCryptoUsers'> {
    const cluster = requireCluster(this.context, input.ClusterId);
    return {
      ClusterId: cluster.id,
      Users: this.context.registry.cryptoUsers.listByCluster(cluster.id).map((user) => ({
        UserName: user.userName,
        CreationDate: apiDate(user.createdAt),
        UpdateDate: apiDate(user.updatedAt),
      })),
    };
  }

  private async rollBack(changed: ProbedMember[], statuses: MemberStatus[], input: ParsedInput<'ChangeCryptoUserPassword'>): Promise<void> {
    for (const { member } of changed) {
      const status = statuses.find((candidate) => candidate.HsmId === member.row.id);
      if (!status) continue;
      try {
        await memberToken(member).setUserPin({ oldPin: input.NewPassword, newPin: input.OldPassword });
        status.Status = 'ROLLED_BACK';
      } catch (error) {
        status.ErrorCode = `ROLLBACK_FAILED:${codeOf(error)}`;
      }
    }
  }

  /** Every member must answer: a password that exists on some members only would lock the others out. */
  private async reachableMembers(clusterId: string, what: string): Promise<ProbedMember[]> {
    const probes = await probeJoinedMembers(this.context, clusterId);
    const down = probes.filter((probe) => probe.health !== 'HEALTHY');
    if (down.length > 0) {
      throw new KmsError(
        'Cluster.PartialFailure',
        `Cannot ${what}: ${down.map((probe) => `${probe.member.row.id} is ${probe.health}`).join(', ')}; nothing was changed.`,
      );
    }
    return probes;
  }
}

function describeStatuses(statuses: MemberStatus[]): string {
  return statuses.map((status) => `${status.HsmId} ${status.Status}${status.ErrorCode ? ` (${status.ErrorCode})` : ''}`).join(', ');
}
