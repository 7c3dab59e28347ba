import { describe, expect, it } from 'vitest';
import {
  missingRoles,
  officersForRole,
  participantsOf,
  readyToComplete,
  stepValues,
  witnessesOf,
  type Ceremony,
  type CeremonyScriptDefinition,
  type ScriptStep,
} from '../../../renderer/src/lib/ceremonies';
import type { Officer } from '../../../renderer/src/lib/quorum';

const script: CeremonyScriptDefinition = {
  Name: 'root-signing-key',
  Title: 'Root key',
  Description: '',
  Roles: [
    { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
    { Role: 'WITNESS', Count: 2 },
  ],
  Steps: [{ StepId: 'prepare', Title: 'Prepare', Instructions: 'Check the room.', Parameters: [], WitnessSignOffs: 2, Outputs: [] }],
};

const officer = (Name: string, Roles: Officer['Roles'], State: Officer['State'] = 'ENABLED'): Officer => ({ Name, Roles, State }) as Officer;

describe('participants', () => {
  it('offers enabled officers holding the role only', () => {
    const officers = [officer('alice', ['CEREMONY_ADMINISTRATOR']), officer('bob', ['WITNESS']), officer('dave', ['WITNESS'], 'DISABLED')];
    expect(officersForRole(officers, 'WITNESS').map((candidate) => candidate.Name)).toEqual(['bob']);
  });

  it('names each role with fewer officers than the script counts', () => {
    expect(missingRoles(script, { WITNESS: ['bob'] })).toEqual([
      { role: 'CEREMONY_ADMINISTRATOR', needed: 1, chosen: 0 },
      { role: 'WITNESS', needed: 2, chosen: 1 },
    ]);
    expect(missingRoles(script, { CEREMONY_ADMINISTRATOR: ['alice'], WITNESS: ['bob', 'carol'] })).toEqual([]);
  });

  it('gives StartCeremony one participant per officer and role, roles the script does not name left out', () => {
    expect(participantsOf(script, { WITNESS: ['bob', 'carol'], AUDITOR: ['erin'], CEREMONY_ADMINISTRATOR: ['alice'] })).toEqual([
      { OfficerName: 'alice', Role: 'CEREMONY_ADMINISTRATOR' },
      { OfficerName: 'bob', Role: 'WITNESS' },
      { OfficerName: 'carol', Role: 'WITNESS' },
    ]);
  });

  it('lists each witness once', () => {
    const participants = [
      { OfficerName: 'bob', Role: 'WITNESS' as const, PublicKeyFingerprint: '' },
      { OfficerName: 'alice', Role: 'CEREMONY_ADMINISTRATOR' as const, PublicKeyFingerprint: '' },
      { OfficerName: 'bob', Role: 'WITNESS' as const, PublicKeyFingerprint: '' },
    ];
    expect(witnessesOf({ Participants: participants })).toEqual(['bob']);
  });
});

describe('stepValues', () => {
  const step: ScriptStep = {
    StepId: 'init',
    Title: 'Initialize',
    Instructions: 'Initialize the cluster.',
    Operation: 'InitializeCluster',
    Parameters: [
      { Name: 'ClusterId', Label: 'Cluster', Secret: false },
      { Name: 'SoPin', Label: 'SO PIN', Secret: true },
      { Name: 'Note', Label: 'Note', Secret: false },
    ],
    WitnessSignOffs: 1,
    Outputs: [],
  };

  it('puts secret parameters in Secrets only, and leaves empty and undeclared values out', () => {
    expect(stepValues(step, { ClusterId: 'cluster-1', SoPin: 'So-Pin-1', Note: '', Other: 'x' })).toEqual({ Input: { ClusterId: 'cluster-1' }, Secrets: { SoPin: 'So-Pin-1' } });
  });
});

describe('readyToComplete', () => {
  const ceremony = (states: Ceremony['Steps'][number]['State'][], State: Ceremony['State'] = 'IN_PROGRESS'): Ceremony =>
    ({ State, Steps: states.map((stepState) => ({ State: stepState })) }) as Ceremony;

  it('waits for every step to be signed off or skipped, in a ceremony still in progress', () => {
    expect(readyToComplete(ceremony(['SIGNED_OFF', 'SKIPPED']))).toBe(true);
    expect(readyToComplete(ceremony(['SIGNED_OFF', 'DONE']))).toBe(false);
    expect(readyToComplete(ceremony(['SIGNED_OFF'], 'ABORTED'))).toBe(false);
  });
});
