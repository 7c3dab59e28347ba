import { describe, expect, it } from 'vitest';
import { KmsError } from '../../../shared/errors';
import { stageChanges, stagesAfterMove, stagesAfterPut, stagesByVersion } from '../../../electron/main/services/secrets/secret-stages';

const map = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};

describe('stagesAfterPut', () => {
  it('moves ACSCurrent to the new version and ACSPrevious to the version it left', () => {
    expect(stagesAfterPut(map({ ACSCurrent: 'v1' }), 'v2', ['ACSCurrent'])).toEqual(map({ ACSCurrent: 'v2', ACSPrevious: 'v1' }));
    expect(stagesAfterPut(map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Blue: 'v1' }), 'v3', ['ACSCurrent'])).toEqual(map({ ACSCurrent: 'v3', ACSPrevious: 'v2', Blue: 'v1' }));
  });

  it('the first version only gets ACSCurrent', () => {
    expect(stagesAfterPut(new Map(), 'v1', ['ACSCurrent'])).toEqual(map({ ACSCurrent: 'v1' }));
  });

  it('without ACSCurrent in the request, ACSCurrent and ACSPrevious stay; named stages move to the new version', () => {
    expect(stagesAfterPut(map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Pending: 'v1' }), 'v3', ['Pending', 'Canary'])).toEqual(
      map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Pending: 'v3', Canary: 'v3' }),
    );
  });

  it('refuses a stage named twice and ACSPrevious named with ACSCurrent', () => {
    expect(codeOf(() => stagesAfterPut(map({ ACSCurrent: 'v1' }), 'v2', ['X', 'X']))).toBe('InvalidParameter');
    expect(codeOf(() => stagesAfterPut(map({ ACSCurrent: 'v1' }), 'v2', ['ACSCurrent', 'ACSPrevious']))).toBe('InvalidParameter');
    expect(stagesAfterPut(map({ ACSCurrent: 'v1' }), 'v2', ['ACSPrevious'])).toEqual(map({ ACSCurrent: 'v1', ACSPrevious: 'v2' }));
  });

  it('allows 8 distinct stages and refuses a 9th, counting the ACSPrevious it creates', () => {
    const seven = map({ ACSCurrent: 'v1', S1: 'v1', S2: 'v1', S3: 'v1', S4: 'v1', S5: 'v1', S6: 'v1' });
    expect(stagesAfterPut(seven, 'v2', ['S7']).size).toBe(8);
    expect(codeOf(() => stagesAfterPut(seven, 'v2', ['S7', 'S8']))).toBe('LimitExceeded.SecretVersionStage');
    expect(codeOf(() => stagesAfterPut(new Map([...seven, ['S7', 'v1']]), 'v2', ['ACSCurrent']))).toBe('LimitExceeded.SecretVersionStage');
    // Moving stages that exist already adds none.
    expect(stagesAfterPut(new Map([...seven, ['ACSPrevious', 'v0']]), 'v2', ['ACSCurrent', 'S1']).size).toBe(8);
  });
});

describe('stagesAfterMove', () => {
  const start = map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Canary: 'v3' });

  it('moves a stage only when RemoveFromVersion names the version it is on', () => {
    expect(codeOf(() => stagesAfterMove(start, { stage: 'Canary', moveToVersion: 'v1' }))).toBe('Conflict.SecretVersion');
    expect(codeOf(() => stagesAfterMove(start, { stage: 'Canary', moveToVersion: 'v1', removeFromVersion: 'v2' }))).toBe('Conflict.SecretVersion');
    expect(stagesAfterMove(start, { stage: 'Canary', moveToVersion: 'v1', removeFromVersion: 'v3' })).toEqual(map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Canary: 'v1' }));
  });

  it('moving ACSCurrent takes ACSPrevious to the version it left', () => {
    expect(stagesAfterMove(start, { stage: 'ACSCurrent', moveToVersion: 'v3', removeFromVersion: 'v2' })).toEqual(map({ ACSCurrent: 'v3', ACSPrevious: 'v2', Canary: 'v3' }));
    expect(stagesAfterMove(start, { stage: 'ACSCurrent', moveToVersion: 'v1', removeFromVersion: 'v2' })).toEqual(map({ ACSCurrent: 'v1', ACSPrevious: 'v2', Canary: 'v3' }));
  });

  it('ACSCurrent and ACSPrevious can only be moved, custom stages detached', () => {
    expect(codeOf(() => stagesAfterMove(start, { stage: 'ACSCurrent', removeFromVersion: 'v2' }))).toBe('InvalidParameter');
    expect(codeOf(() => stagesAfterMove(start, { stage: 'ACSPrevious', removeFromVersion: 'v1' }))).toBe('InvalidParameter');
    expect(stagesAfterMove(start, { stage: 'Canary', removeFromVersion: 'v3' })).toEqual(map({ ACSCurrent: 'v2', ACSPrevious: 'v1' }));
    expect(codeOf(() => stagesAfterMove(start, { stage: 'Nowhere', removeFromVersion: 'v3' }))).toBe('Conflict.SecretVersion');
  });

  it('attaches a new stage within the limit; a stage already there is left as it is', () => {
    expect(stagesAfterMove(start, { stage: 'Blue', moveToVersion: 'v1' }).get('Blue')).toBe('v1');
    expect(stagesAfterMove(start, { stage: 'Canary', moveToVersion: 'v3' })).toEqual(start);
    const full = map({ ACSCurrent: 'v1', A: 'v1', B: 'v1', C: 'v1', D: 'v1', E: 'v1', F: 'v1', G: 'v1' });
    expect(codeOf(() => stagesAfterMove(full, { stage: 'H', moveToVersion: 'v1' }))).toBe('LimitExceeded.SecretVersionStage');
  });
});

describe('stage helpers', () => {
  it('groups stages per version, sorted, and lists the changes between two maps', () => {
    expect(stagesByVersion(map({ Zed: 'v1', ACSCurrent: 'v1', ACSPrevious: 'v0' }))).toEqual(new Map([['v0', ['ACSPrevious']], ['v1', ['ACSCurrent', 'Zed']]]));
    expect(stageChanges(map({ ACSCurrent: 'v1', Old: 'v1', Same: 'v2' }), map({ ACSCurrent: 'v2', ACSPrevious: 'v1', Same: 'v2' }))).toEqual({
      set: [['ACSCurrent', 'v2'], ['ACSPrevious', 'v1']],
      removed: ['Old'],
    });
  });
});
