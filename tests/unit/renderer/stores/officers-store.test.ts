import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import type { Officer, QuorumPolicy } from '../../../../renderer/src/lib/quorum';
import { useOfficersStore, type EnrollInput, type PolicyInput } from '../../../../renderer/src/stores/officers';
import { fakeHost, stub } from '../support/fake-host';

function officersHost() {
  const officers: Officer[] = [stub<Officer>({ Name: 'alice', State: 'ENABLED' })];
  let policy = stub<QuorumPolicy>({ MinApprovals: 1, Operations: [] });
  return fakeHost({
    ListOfficers: () => ({ Officers: [...officers] }),
    DescribeQuorumPolicy: () => policy,
    CreateOfficer: (input) => {
      const officer = stub<Officer>({ Name: input.Name, State: 'ENABLED' });
      officers.push(officer);
      return { Officer: officer };
    },
    DisableOfficer: (input) => {
      const officer = officers.find((candidate) => candidate.Name === input.Name);
      if (!officer) throw new KmsClientError('NotFound.Officer', `no officer ${input.Name}`);
      officer.State = 'DISABLED';
      return stub<OperationResult<'DisableOfficer'>>({ Name: input.Name });
    },
    UpdateQuorumPolicy: (input) => {
      if (policy.Operations.length > 0) throw new KmsClientError('QuorumRequired', 'needs approvals', '', { ApprovalRequestId: 'apr-1' });
      policy = stub<QuorumPolicy>({ ...input });
      return policy;
    },
  });
}

describe('the officers store', () => {
  it('reads officers and the policy together, and shows the officers after enrolment and disabling', async () => {
    const host = officersHost();
    const officers = useOfficersStore();
    await officers.load();
    expect(officers.officers.map((officer) => officer.Name)).toEqual(['alice']);
    expect(officers.policy?.MinApprovals).toBe(1);

    const enrolled = await officers.enroll(stub<EnrollInput>({ Name: 'bob' }));
    expect(enrolled.Name).toBe('bob');
    await officers.disable('alice');
    expect(officers.officers.map((officer) => [officer.Name, officer.State])).toEqual([
      ['alice', 'DISABLED'],
      ['bob', 'ENABLED'],
    ]);
    expect(host.inputsOf('DisableOfficer')).toEqual([{ Name: 'alice' }]);
    await expect(officers.disable('carol')).rejects.toMatchObject({ Code: 'NotFound.Officer' });
    expect(officers.officers).toHaveLength(2);
    expect(officers.loading).toBe(false);
  });

  it('shows the policy UpdateQuorumPolicy answers, and keeps the one in force when the change waits for approval', async () => {
    const host = officersHost();
    const officers = useOfficersStore();
    await officers.updatePolicy(stub<PolicyInput>({ MinApprovals: 2, Operations: ['DeleteKeyStore'] }));
    expect(host.inputsOf('UpdateQuorumPolicy')).toEqual([{ MinApprovals: 2, Operations: ['DeleteKeyStore'] }]);
    expect(officers.policy?.MinApprovals).toBe(2);
    await expect(officers.updatePolicy(stub<PolicyInput>({ MinApprovals: 3, Operations: [] }))).rejects.toMatchObject({
      Code: 'QuorumRequired',
      Details: { ApprovalRequestId: 'apr-1' },
    });
    expect(officers.policy?.MinApprovals).toBe(2);
  });
});
