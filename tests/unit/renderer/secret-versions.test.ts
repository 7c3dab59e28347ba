import { describe, expect, it } from 'vitest';
import type { SecretVersionEntry } from '../../../shared/contract';
import { nextVersionId, plannedDeletion, recoveryWindowOk, stageLimitProblem, stageMove, stagesInUse } from '../../../renderer/src/lib/secret-versions';

function version(VersionId: string, VersionStages: string[]): SecretVersionEntry {
  return { VersionId, VersionStages, CreateTime: '2026-12-01T00:00:00.000Z' };
}

describe('versions and stages of a secret page', () => {
  it('offers the next v<n> that is not taken', () => {
    expect(nextVersionId([])).toBe('v1');
    expect(nextVersionId(['v1'])).toBe('v2');
    expect(nextVersionId(['v2', 'v10', 'v3'])).toBe('v11');
    expect(nextVersionId(['initial', 'rotated'])).toBe('v3');
    expect(nextVersionId(['initial', 'v3', 'x'])).toBe('v4');
  });

  const versions = [version('v3', ['ACSCurrent', 'Testing']), version('v2', ['ACSPrevious']), version('v1', [])];

  it('moves a held stage from its holder and attaches a new one', () => {
    expect(stageMove('ACSCurrent', 'v1', versions)).toEqual({ VersionStage: 'ACSCurrent', MoveToVersion: 'v1', RemoveFromVersion: 'v3' });
    expect(stageMove('Canary', 'v2', versions)).toEqual({ VersionStage: 'Canary', MoveToVersion: 'v2' });
    expect(stageMove('Testing', 'v3', versions)).toBeNull();
    expect(stagesInUse(versions)).toEqual(['ACSCurrent', 'ACSPrevious', 'Testing']);
  });

  it('refuses a ninth stage but not a move of an existing one', () => {
    const full = [version('v1', ['ACSCurrent', 'ACSPrevious', 'a', 'b', 'c', 'd', 'e', 'f'])];
    expect(stageLimitProblem('g', full)).toMatch(/at most 8 stages/);
    expect(stageLimitProblem('a', full)).toBe('');
    expect(stageLimitProblem('g', versions)).toBe('');
  });

  it('checks the recovery window and dates the deletion', () => {
    expect([6, 7, 30, 31, 7.5, null].map(recoveryWindowOk)).toEqual([false, true, true, false, false, false]);
    expect(plannedDeletion(Date.parse('2026-12-01T10:00:00Z'), 7)).toBe('2026-12-08T10:00:00.000Z');
  });
});
