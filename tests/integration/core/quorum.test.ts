/**
 * Officers and a 2-of-N quorum with real officer tokens: three SoftHSM2 tokens (one per officer)
 * holding EC P-256 approval keys made by pkcs11-tool, and a fourth officer whose key never touches
 * Keyward (signatures made with node:crypto, as openssl would). ScheduleKeyDeletion and
 * InitializeCluster wait for two approvals; every refusal of the bad-input matrix is audited.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterWithMembers, softHsmMember, SO_PIN } from '../../support/cluster-flow';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../../support/softhsm';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const OFFICERS = ['alice', 'bob', 'carol'] as const;
const pinOf = (name: string): string => `${name}-So-2026-user`;

describe('Officers and M-of-N quorum', () => {
  let t: TestCore;
  let tokens: SoftHsmFixture;
  let clusterHsms: SoftHsmFixture;
  let clockOffset = 0;
  const dave = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signAsDave = (digest: string): string => sign('sha256', Buffer.from(digest, 'hex'), dave.privateKey).toString('base64');

  const wholeAuditLog = async (): Promise<string> => {
    const pages: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const { Events } = await t.call('ListAuditEvents', { PageSize: 100, PageNumber: page } as never);
      pages.push(...Events);
      if (Events.length < 100) return JSON.stringify(pages);
    }
  };
  const quorumRequired = async (operation: string, input: object) => {
    const refused = await t.fail(operation, input);
    expect(refused.Code, refused.Message).toBe('QuorumRequired');
    const details = refused.Details ?? {};
    expect(details.RequestDigest).toMatch(/^[0-9a-f]{64}$/);
    return { id: details.ApprovalRequestId ?? '', digest: details.RequestDigest ?? '' };
  };

  beforeAll(async () => {
    t = await createInitializedTestCore({ now: () => new Date(Date.now() + clockOffset) });
    tokens = await createSoftHsmFixture('keyward-officers-');
    clusterHsms = await createSoftHsmFixture('keyward-quorum-cluster-');
    const env = { ...process.env, SOFTHSM2_CONF: tokens.confPath };
    const serials = OFFICERS.map((name) => {
      const serial = initializeTokenWithUtil(tokens, name, `${name}-So-2026`);
      execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE_PATH, '--token-label', name, '--login', '--pin', pinOf(name), '--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'approval', '--id', '01'], { env, stdio: 'ignore' });
      return serial;
    });
    const { ModuleId } = await t.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: 'Officer tokens', Environment: { SOFTHSM2_CONF: tokens.confPath } });
    for (const [index, name] of OFFICERS.entries()) {
      await t.call('CreateOfficer', { Name: name, Roles: ['CRYPTO_OFFICER'], ApprovalKey: { ModuleId, TokenSerial: serials[index] ?? '', KeyLabel: 'approval' }, Pin: pinOf(name) });
    }
    await t.call('CreateOfficer', { Name: 'dave', Roles: ['WITNESS'], ApprovalKey: { PublicKey: dave.publicKey.export({ type: 'spki', format: 'pem' }).toString() } });
    await t.call('UpdateQuorumPolicy', { Operations: ['ScheduleKeyDeletion', 'InitializeCluster'], MinApprovals: 2 });
  }, 240_000);
  afterAll(async () => {
    await disposeTestCore(t);
    await tokens?.cleanup();
    await clusterHsms?.cleanup();
  });

  it('enrolls officers with the public key read from their tokens, and refuses a second enrolment of a key', async () => {
    const { Officers } = await t.call('ListOfficers', {});
    expect(Officers.map((officer) => [officer.Name, officer.KeySpec, officer.State])).toEqual([
      ['alice', 'EC_P256', 'ENABLED'],
      ['bob', 'EC_P256', 'ENABLED'],
      ['carol', 'EC_P256', 'ENABLED'],
      ['dave', 'EC_P256', 'ENABLED'],
    ]);
    expect(Officers[0]?.Token).toMatchObject({ KeyLabel: 'approval' });
    const again = await t.fail('CreateOfficer', { Name: 'dave2', Roles: ['AUDITOR'], ApprovalKey: { PublicKey: Officers[3]?.PublicKey ?? '' } });
    expect(again.Code).toBe('AlreadyExists.Officer');
  });

  it('runs ScheduleKeyDeletion only after two distinct officers approved it, once, and records the approvals', async () => {
    const keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    const request = await quorumRequired('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('Enabled');
    const approved = await t.call('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'alice', Pin: pinOf('alice') });
    expect([approved.State, approved.Approvals.length]).toEqual(['PENDING', 1]);
    expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: request.id })).Code).toBe('Forbidden.Quorum');
    const ready = await t.call('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'dave', Signature: signAsDave(request.digest) });
    expect(ready.State).toBe('READY');
    const executed = await t.call('ExecuteApprovedRequest', { ApprovalRequestId: request.id });
    expect(executed.Operation).toBe('ScheduleKeyDeletion');
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('PendingDeletion');
    expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: request.id })).Code).toBe('Forbidden.ApprovalRequestState');
    const { Events } = await t.call('ListAuditEvents', { PageSize: 20, Filters: [{ Key: 'Operation', Values: ['ScheduleKeyDeletion'] }] } as never);
    const done = Events.find((event) => event.Outcome === 'SUCCESS' && event.ResourceId === keyId);
    expect(done?.Details).toMatchObject({ ApprovalRequestId: request.id, RequestDigest: request.digest, ApprovedBy: 'alice,dave' });
    expect(Events.some((event) => event.Outcome === 'FAILURE' && event.ErrorCode === 'QuorumRequired' && event.Details.ApprovalRequestId === request.id)).toBe(true);
  });

  it('takes signatures made outside Keyward: pkcs11-tool on the officer’s token (raw r||s) and openssl (DER)', async () => {
    const keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    const request = await quorumRequired('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 8 });
    const dir = mkdtempSync(path.join(tmpdir(), 'keyward-approval-'));
    try {
      writeFileSync(path.join(dir, 'digest.bin'), Buffer.from(request.digest, 'hex'));
      // SoftHSM2 (like many cards) has no CKM_ECDSA_SHA256: hash first, then raw CKM_ECDSA, as the README shows.
      execFileSync('openssl', ['dgst', '-sha256', '-binary', '-out', path.join(dir, 'hash.bin'), path.join(dir, 'digest.bin')]);
      execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE_PATH, '--token-label', 'bob', '--login', '--pin', pinOf('bob'), '--sign', '--mechanism', 'ECDSA', '--label', 'approval', '--input-file', path.join(dir, 'hash.bin'), '--output-file', path.join(dir, 'bob.sig')], { env: { ...process.env, SOFTHSM2_CONF: tokens.confPath }, stdio: 'ignore' });
      writeFileSync(path.join(dir, 'dave.pem'), dave.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const daveSignature = execFileSync('openssl', ['dgst', '-sha256', '-sign', path.join(dir, 'dave.pem'), path.join(dir, 'digest.bin')]);
      await t.call('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'bob', Signature: readFileSync(path.join(dir, 'bob.sig')).toString('base64') });
      const ready = await t.call('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'dave', Signature: daveSignature.toString('base64') });
      expect(ready.State).toBe('READY');
      await t.call('RejectRequest', { ApprovalRequestId: request.id, Reason: 'only checking the signatures' });
      expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: request.id })).Code).toBe('Forbidden.ApprovalRequestState');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses and audits every bad approval and execution', async () => {
    const keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    const request = await quorumRequired('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 30 });
    const other = await quorumRequired('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 31 });
    expect(other.digest).not.toBe(request.digest);
    const refusals: [string, object, string][] = [
      ['unknown officer', { OfficerName: 'mallory', Signature: signAsDave(request.digest) }, 'NotFound.Officer'],
      ['signature over another digest', { OfficerName: 'dave', Signature: signAsDave(other.digest) }, 'InvalidApprovalSignature'],
      ['wrong PIN', { OfficerName: 'bob', Pin: 'not-bobs-pin' }, 'HsmError.PinIncorrect'],
    ];
    for (const [, fields, code] of refusals) expect((await t.fail('ApproveRequest', { ApprovalRequestId: request.id, ...fields })).Code).toBe(code);
    await t.call('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'bob', Pin: pinOf('bob') });
    expect((await t.fail('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'bob', Pin: pinOf('bob') })).Code).toBe('AlreadyExists.Approval');
    // Bob's approval of one request does not count for a request with another input.
    expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: other.id })).Code).toBe('Forbidden.Quorum');
    await t.call('DisableOfficer', { Name: 'carol' });
    expect((await t.fail('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'carol', Pin: pinOf('carol') })).Code).toBe('Forbidden.OfficerState');
    // alice, bob and dave remain: disabling two of them would leave fewer than the quorum.
    await t.call('DisableOfficer', { Name: 'alice' });
    expect((await t.fail('DisableOfficer', { Name: 'bob' })).Code).toBe('Forbidden.Quorum');
    // The window closes: neither approval nor execution is taken afterwards.
    clockOffset = 11 * 60_000;
    try {
      expect((await t.fail('ApproveRequest', { ApprovalRequestId: request.id, OfficerName: 'dave', Signature: signAsDave(request.digest) })).Code).toBe('Forbidden.ApprovalRequestState');
      expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: request.id })).Code).toBe('Forbidden.ApprovalRequestState');
      expect((await t.call('ListApprovalRequests', { State: 'EXPIRED' })).ApprovalRequests.map((row) => row.ApprovalRequestId)).toContain(request.id);
    } finally {
      clockOffset = 0;
    }
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Outcome', Values: ['FAILURE'] }] } as never);
    const codes = new Set(Events.map((event) => `${event.Operation}:${event.ErrorCode}`));
    for (const expected of ['ApproveRequest:NotFound.Officer', 'ApproveRequest:InvalidApprovalSignature', 'ApproveRequest:HsmError.PinIncorrect', 'ApproveRequest:AlreadyExists.Approval', 'ApproveRequest:Forbidden.OfficerState', 'ApproveRequest:Forbidden.ApprovalRequestState', 'ExecuteApprovedRequest:Forbidden.Quorum', 'ExecuteApprovedRequest:Forbidden.ApprovalRequestState', 'DisableOfficer:Forbidden.Quorum']) {
      expect(codes, expected).toContain(expected);
    }
    const everything = await wholeAuditLog();
    for (const name of OFFICERS) expect(everything).not.toContain(pinOf(name));
  });

  it('protects the policy itself once set, and runs InitializeCluster with its SO PIN given only at execution', async () => {
    const change = await quorumRequired('UpdateQuorumPolicy', { Operations: [], MinApprovals: 1 });
    expect((await t.call('DescribeQuorumPolicy', {})).Operations).toEqual(['InitializeCluster', 'ScheduleKeyDeletion']);
    await t.call('RejectRequest', { ApprovalRequestId: change.id, Reason: 'not today' });
    expect((await t.fail('ApproveRequest', { ApprovalRequestId: change.id, OfficerName: 'dave', Signature: signAsDave(change.digest) })).Code).toBe('Forbidden.ApprovalRequestState');

    const setUp = await createClusterWithMembers(t, 'quorum-cluster', [softHsmMember(clusterHsms, 'zone-a')], true);
    const init = await quorumRequired('InitializeCluster', { ClusterId: setUp.clusterId, SoPin: SO_PIN });
    const [pending] = (await t.call('ListApprovalRequests', { State: 'PENDING' })).ApprovalRequests.filter((row) => row.ApprovalRequestId === init.id);
    expect(pending?.Input).toEqual({ ClusterId: setUp.clusterId });
    await t.call('ApproveRequest', { ApprovalRequestId: init.id, OfficerName: 'bob', Pin: pinOf('bob') });
    await t.call('ApproveRequest', { ApprovalRequestId: init.id, OfficerName: 'dave', Signature: signAsDave(init.digest) });
    expect((await t.fail('ExecuteApprovedRequest', { ApprovalRequestId: init.id })).Code).toBe('MissingParameter');
    const executed = await t.call('ExecuteApprovedRequest', { ApprovalRequestId: init.id, SoPin: SO_PIN });
    expect(executed.Result).toMatchObject({ ClusterId: setUp.clusterId });
    expect((await t.call('DescribeCluster', { ClusterId: setUp.clusterId })).Cluster.State).toBe('INITIALIZED');
    const audit = await wholeAuditLog();
    expect(audit).not.toContain(SO_PIN);
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  });
});
