import { describe, expect, it } from 'vitest';
import { KmsClientError } from '../../../renderer/src/api/errors';
import { emptyEnrollForm, enrollInput, tokenOptions } from '../../../renderer/src/lib/officer-form';
import {
  approvalProgress,
  executionSecretsOf,
  inputRows,
  isQuorumRequired,
  keyLocation,
  shortHex,
  timeLeft,
  type ApprovalRequest,
  type Officer,
} from '../../../renderer/src/lib/quorum';
import type { ModuleDetail } from '../../../shared/contract';

const DIGEST = 'ab'.repeat(32);

function request(approvers: string[]): ApprovalRequest {
  return {
    ApprovalRequestId: 'apr-1',
    Operation: 'ScheduleKeyDeletion',
    Input: { KeyId: 'k-1', PendingWindowInDays: 7, Nested: { A: 1 } },
    RequestDigest: DIGEST,
    RequestedBy: 'root',
    CreationDate: '2026-01-01T00:00:00Z',
    Expires: '2026-01-01T00:10:00Z',
    State: 'PENDING',
    MinApprovals: 2,
    Approvals: approvers.map((OfficerName) => ({ OfficerName, ApprovalDate: '2026-01-01T00:01:00Z' })),
    RejectedBy: null,
  };
}

describe('approval requests as the inbox shows them', () => {
  it('counts approvals against the quorum and names the approvers', () => {
    expect(approvalProgress(request([]))).toBe('0 of 2');
    expect(approvalProgress(request(['alice', 'bob']))).toBe('2 of 2 (alice, bob)');
  });

  it('lists the input as rows, nested values as JSON', () => {
    expect(inputRows(request([]).Input)).toEqual([
      { key: 'KeyId', value: 'k-1' },
      { key: 'PendingWindowInDays', value: '7' },
      { key: 'Nested', value: '{"A":1}' },
    ]);
  });

  it('counts down to the expiry and says when it has passed', () => {
    const expires = '2026-01-01T00:10:00Z';
    expect(timeLeft(expires, Date.parse('2026-01-01T00:00:48Z'))).toBe('9 min 12 s');
    expect(timeLeft(expires, Date.parse('2026-01-01T00:09:30Z'))).toBe('30 s');
    expect(timeLeft(expires, Date.parse('2026-01-01T00:10:00Z'))).toBe('expired');
    expect(timeLeft('not a date', 0)).toBe('expired');
  });

  it('asks at execution exactly for the secret fields the operation takes', () => {
    expect(executionSecretsOf('InitializeCluster')).toEqual(['SoPin']);
    expect(executionSecretsOf('CreateCryptoUser')).toEqual(['Password', 'SoPin']);
    expect(executionSecretsOf('ChangeCryptoUserPassword')).toEqual(['OldPassword', 'NewPassword']);
    expect(executionSecretsOf('ScheduleKeyDeletion')).toEqual([]);
  });

  it('recognises the QuorumRequired answer, with its details, and nothing else', () => {
    const body = { Code: 'QuorumRequired' as const, Message: 'm', RequestId: 'r', Details: { ApprovalRequestId: 'apr-1', MinApprovals: '2' } };
    const error = KmsClientError.fromBody(body);
    expect(isQuorumRequired(error)).toBe(true);
    expect(error.Details).toEqual({ ApprovalRequestId: 'apr-1', MinApprovals: '2' });
    expect(isQuorumRequired(new KmsClientError('Forbidden.Quorum', 'no'))).toBe(false);
    expect(isQuorumRequired('QuorumRequired')).toBe(false);
  });

  it('keeps only string details from the wire', () => {
    const error = KmsClientError.fromUnknown({ Code: 'QuorumRequired', Message: 'm', RequestId: 'r', Details: { Good: 'x', Bad: 3 } });
    expect(error.Details).toEqual({ Good: 'x' });
  });
});

describe('officers as the Officers page shows them', () => {
  it('shortens a fingerprint to its ends', () => {
    expect(shortHex(DIGEST)).toBe('abababab…abababab');
    expect(shortHex('abcd')).toBe('abcd');
  });

  it('says where the approval key lives', () => {
    const base = { Name: 'a', Roles: [], State: 'ENABLED', KeySpec: 'EC_P256', PublicKey: '', PublicKeyFingerprint: '', CreationDate: '' } as const;
    expect(keyLocation({ ...base, Roles: [], Token: null } as Officer)).toBe('public key only');
    const onToken = { ...base, Roles: [], Token: { ModuleId: 'mod-1', TokenSerial: 's1', KeyLabel: 'approval' } } as Officer;
    expect(keyLocation(onToken)).toBe('mod-1 · token s1 · approval');
    expect(keyLocation(onToken, (id) => (id === 'mod-1' ? 'Officer tokens' : undefined))).toBe('Officer tokens · token s1 · approval');
  });

  it('builds CreateOfficer only once the chosen key source is complete', () => {
    const form = { ...emptyEnrollForm(), name: ' alice ' };
    expect(enrollInput(form)).toBeNull();
    const token = { ...form, moduleId: 'mod-1', tokenSerial: 's1', pin: '1234' };
    expect(enrollInput(token)).toEqual({ Name: 'alice', Roles: ['CRYPTO_OFFICER'], ApprovalKey: { ModuleId: 'mod-1', TokenSerial: 's1', KeyLabel: 'approval' }, Pin: '1234' });
    expect(enrollInput({ ...token, roles: [] })).toBeNull();
    expect(enrollInput({ ...form, source: 'pem' })).toBeNull();
    expect(enrollInput({ ...form, source: 'pem', publicKey: ' PEM ' })).toEqual({ Name: 'alice', Roles: ['CRYPTO_OFFICER'], ApprovalKey: { PublicKey: 'PEM' } });
  });

  it('offers initialized tokens only', () => {
    const token = (Label: string, Serial: string, Initialized: boolean) => ({
      Label, Serial, Initialized, Model: '', Manufacturer: '', UserPinInitialized: true, LoginRequired: true, UserPinLocked: false, SoPinLocked: false,
    });
    const module = {
      Slots: [
        { SlotId: 1, Description: '', TokenPresent: true, Token: token('alice', 's1', true), Mechanisms: [] },
        { SlotId: 2, Description: '', TokenPresent: true, Token: token('', 's2', false), Mechanisms: [] },
        { SlotId: 3, Description: '', TokenPresent: false, Token: null, Mechanisms: [] },
      ],
    } as unknown as ModuleDetail;
    expect(tokenOptions(module)).toEqual([{ label: 'alice (serial s1)', value: 's1' }]);
    expect(tokenOptions(undefined)).toEqual([]);
  });
});
