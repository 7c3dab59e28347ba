/**
 * The ceremony runner on a real core (SoftHSM2 default key store, SQLite registry): a small
 * imported script run step by step with officers whose keys live outside Keyward (signatures made
 * here with node:crypto). Step order, steps with and without operations, template outputs, a
 * failed step run again, a quorum-protected step run once approved, witness sign-offs, deviations,
 * skip, complete and abort; every operation a step runs is audited naming the ceremony and step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Ceremony, CeremonyStepRecord } from '../../../shared/contract';
import { enrollPemOfficer, type PemOfficer } from '../../support/ceremony-officers';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const SECRET_NOTE = 'Sealed-Envelope-Note-7731';

const SCRIPT = {
  Name: 'runtime-test',
  Title: 'Runtime test ceremony',
  Description: 'Exercises the ceremony runner.',
  Roles: [
    { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
    { Role: 'WITNESS', Count: 2 },
  ],
  Steps: [
    { StepId: 'check-room', Title: 'Check the room', Instructions: 'Everyone named is present; the room is sealed.', WitnessSignOffs: 2 },
    {
      StepId: 'make-key',
      Title: 'Make the signing key',
      Instructions: 'Generate the key in the HSM.',
      Operation: 'CreateKey',
      Input: { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Description: 'Ceremony key: ${Purpose}' },
      Parameters: [{ Name: 'Purpose', Label: 'What the key is for' }],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'KeyId', From: 'KeyMetadata.KeyId' },
        { Name: 'KeySpec', From: 'KeyMetadata.KeySpec' },
      ],
    },
    {
      StepId: 'public-key',
      Title: 'Record the public key',
      Instructions: 'Read the fingerprint aloud.',
      Operation: 'GetPublicKey',
      Input: { KeyId: '${steps.make-key.KeyId}' },
      Outputs: [{ Name: 'PublicKeySha256', From: 'PublicKey', Kind: 'SHA256' }],
    },
    {
      StepId: 'name-key',
      Title: 'Name the key',
      Instructions: 'Give the key its alias.',
      Operation: 'CreateAlias',
      Input: { AliasName: 'alias/${AliasName}', KeyId: '${steps.make-key.KeyId}' },
      Parameters: [{ Name: 'AliasName', Label: 'Alias' }],
    },
    {
      StepId: 'seal-note',
      Title: 'Seal the note',
      Instructions: 'Store the sealed note.',
      Operation: 'CreateSecret',
      Input: { SecretName: 'ceremony-note', SecretData: '${secret:Note}', VersionId: 'v1' },
      Parameters: [{ Name: 'Note', Label: 'The note', Secret: true }],
    },
    {
      StepId: 'schedule-deletion',
      Title: 'Schedule the old key for deletion',
      Instructions: 'Officers approve the deletion.',
      Operation: 'ScheduleKeyDeletion',
      Input: { KeyId: '${steps.make-key.KeyId}', PendingWindowInDays: 7 },
      WitnessSignOffs: 1,
    },
    { StepId: 'photo', Title: 'Photograph the seals', Instructions: 'Take a photograph of every tamper seal.' },
  ],
};

describe('Ceremony runtime', () => {
  let t: TestCore;
  let admin: PemOfficer;
  let w1: PemOfficer;
  let w2: PemOfficer;
  let outsider: PemOfficer;
  let ceremonyId: string;

  const run = async (stepId: string, extra: { Input?: Record<string, string>; Secrets?: Record<string, string> } = {}): Promise<CeremonyStepRecord> =>
    (await t.call('RunCeremonyStep', { CeremonyId: ceremonyId, StepId: stepId, ...extra })).Step;
  const refusedRun = async (stepId: string, extra: object = {}) => t.fail('RunCeremonyStep', { CeremonyId: ceremonyId, StepId: stepId, ...extra });
  const stepOf = async (stepId: string): Promise<CeremonyStepRecord> => {
    const { Ceremony } = await t.call('DescribeCeremony', { CeremonyId: ceremonyId });
    const step = Ceremony.Steps.find((candidate) => candidate.StepId === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    return step;
  };
  const signOff = (stepId: string, officer: PemOfficer, digest: string) =>
    t.call('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: stepId, OfficerName: officer.name, Signature: officer.signDigest(digest) });
  const events = async (operation: string): Promise<AuditEvent[]> =>
    (await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: [operation] }] } as never)).Events;

  beforeAll(async () => {
    t = await createInitializedTestCore();
    admin = await enrollPemOfficer(t, 'admin', ['CEREMONY_ADMINISTRATOR', 'CRYPTO_OFFICER']);
    w1 = await enrollPemOfficer(t, 'wendy', ['WITNESS']);
    w2 = await enrollPemOfficer(t, 'walter', ['WITNESS']);
    outsider = await enrollPemOfficer(t, 'otto', ['WITNESS']);
    await enrollPemOfficer(t, 'gone', ['WITNESS']);
    await t.call('DisableOfficer', { Name: 'gone' });
    const imported = await t.call('ImportCeremonyScript', { Script: JSON.stringify(SCRIPT) });
    expect(imported.Sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
  afterAll(async () => {
    if (t) await disposeTestCore(t);
  });

  it('starts only with enabled officers holding the roles, as many as the script needs', async () => {
    const base = [
      { OfficerName: 'admin', Role: 'CEREMONY_ADMINISTRATOR' },
      { OfficerName: 'wendy', Role: 'WITNESS' },
    ] as const;
    const tooFew = await t.fail('StartCeremony', { ScriptName: 'runtime-test', Participants: base });
    expect(tooFew.Code).toBe('Forbidden.CeremonyParticipants');
    const wrongRole = await t.fail('StartCeremony', { ScriptName: 'runtime-test', Participants: [...base, { OfficerName: 'admin', Role: 'WITNESS' }] });
    expect(wrongRole.Code).toBe('Forbidden.CeremonyParticipants');
    expect((await t.fail('StartCeremony', { ScriptName: 'runtime-test', Participants: [...base, { OfficerName: 'nobody', Role: 'WITNESS' }] })).Code).toBe('NotFound.Officer');
    expect((await t.fail('StartCeremony', { ScriptName: 'runtime-test', Participants: [...base, { OfficerName: 'gone', Role: 'WITNESS' }] })).Code).toBe('Forbidden.OfficerState');
    expect((await t.fail('StartCeremony', { ScriptName: 'no-such-script', Participants: [...base] })).Code).toBe('NotFound.CeremonyScript');

    const started = await t.call('StartCeremony', { ScriptName: 'runtime-test', Participants: [...base, { OfficerName: 'walter', Role: 'WITNESS' }] });
    ceremonyId = started.CeremonyId;
    expect(ceremonyId).toMatch(/^cer-[0-9a-f-]{36}$/);
    const ceremony: Ceremony = started.Ceremony;
    expect([ceremony.State, ceremony.CurrentStepId, ceremony.StartedBy]).toEqual(['IN_PROGRESS', 'check-room', 'test-officer']);
    expect(ceremony.Steps.map((step) => step.State)).toEqual(Array(SCRIPT.Steps.length).fill('PENDING'));
    expect(ceremony.Participants.find((participant) => participant.OfficerName === 'wendy')?.PublicKeyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const [startRecord] = (await events('StartCeremony')).filter((event) => event.ResourceId === ceremonyId);
    expect(startRecord?.Details).toMatchObject({ ScriptName: 'runtime-test', ScriptSha256: ceremony.ScriptSha256 });
  });

  it('runs steps only in order; a step without an operation is confirmed and waits for its witnesses', async () => {
    expect((await refusedRun('make-key', { Input: { Purpose: 'root' } })).Code).toBe('Forbidden.CeremonyStepOrder');
    const confirmed = await run('check-room');
    expect([confirmed.State, confirmed.Attempts, confirmed.Operation]).toEqual(['DONE', 1, null]);
    expect(confirmed.AuditSequence).toBeGreaterThan(0);
    expect(confirmed.SignOffDigest).toMatch(/^[0-9a-f]{64}$/);
    // Done, not signed off: neither it nor the next step runs.
    expect((await refusedRun('check-room')).Code).toBe('Forbidden.CeremonyStepOrder');
    expect((await refusedRun('make-key', { Input: { Purpose: 'root' } })).Code).toBe('Forbidden.CeremonyStepOrder');
  });

  it('takes sign-offs from distinct participating witnesses with a valid signature only', async () => {
    const digest = (await stepOf('check-room')).SignOffDigest ?? '';
    const notWitness = await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'check-room', OfficerName: 'admin', Signature: admin.signDigest(digest) });
    expect(notWitness.Code).toBe('Forbidden.CeremonyParticipants');
    const notParticipant = await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'check-room', OfficerName: 'otto', Signature: outsider.signDigest(digest) });
    expect(notParticipant.Code).toBe('Forbidden.CeremonyParticipants');
    const wrong = await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'check-room', OfficerName: 'wendy', Signature: w1.signDigest('00'.repeat(32)) });
    expect(wrong.Code).toBe('InvalidApprovalSignature');
    const byOther = await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'check-room', OfficerName: 'wendy', Signature: w2.signDigest(digest) });
    expect(byOther.Code).toBe('InvalidApprovalSignature');

    const first = await signOff('check-room', w1, digest);
    expect([first.Step.State, first.Step.SignOffs.map((signOff) => signOff.OfficerName)]).toEqual(['DONE', ['wendy']]);
    expect((await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'check-room', OfficerName: 'wendy', Signature: w1.signDigest(digest) })).Code).toBe('AlreadyExists.Approval');
    const second = await signOff('check-room', w2, digest);
    expect(second.Step.State).toBe('SIGNED_OFF');
    expect(second.Ceremony.CurrentStepId).toBe('make-key');
    expect((await t.fail('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: 'make-key', OfficerName: 'wendy', Signature: w1.signDigest(digest) })).Code).toBe('Forbidden.CeremonyStepOrder');
  });

  it('runs CreateKey with the filled template, records its outputs and audit record, and feeds later steps', async () => {
    expect((await refusedRun('make-key')).Code).toBe('MissingParameter');
    const keysBefore = (await t.call('ListKeys', {} as never)).Keys.length;
    const made = await run('make-key', { Input: { Purpose: 'root of trust' } });
    expect(made.State).toBe('DONE');
    expect(made.Input).toMatchObject({ KeySpec: 'EC_P256', Description: 'Ceremony key: root of trust' });
    const keyId = made.Outputs.find((output) => output.Name === 'KeyId')?.Value ?? '';
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.Description).toBe('Ceremony key: root of trust');
    expect((await t.call('ListKeys', {} as never)).Keys.length).toBe(keysBefore + 1);
    expect(made.Outputs).toContainEqual({ Name: 'KeySpec', Kind: 'VALUE', Value: 'EC_P256' });

    const created = (await events('CreateKey')).find((event) => event.ResourceId === keyId && event.Outcome === 'SUCCESS');
    expect(created?.Details).toMatchObject({ CeremonyId: ceremonyId, StepId: 'make-key' });
    expect(made.AuditSequence).toBe(created?.Sequence);
    await signOff('make-key', w2, made.SignOffDigest ?? '');

    // No witnesses asked for: signed off as soon as it ran; the public key recorded as its fingerprint.
    const publicKey = await run('public-key');
    expect(publicKey.State).toBe('SIGNED_OFF');
    expect(publicKey.Input).toEqual({ KeyId: keyId });
    expect(publicKey.Outputs[0]?.Value).toMatch(/^[0-9a-f]{64}$/);
    expect(publicKey.AuditSequence).toBeNull();
  });

  it('records a refused step as FAILED and runs it again', async () => {
    await t.call('CreateAlias', { AliasName: 'alias/taken', KeyId: (await stepOf('make-key')).Outputs[0]?.Value ?? '' });
    const badShape = await run('name-key', { Input: { AliasName: 'not a name!' } });
    expect([badShape.State, badShape.ErrorCode]).toEqual(['FAILED', 'InvalidParameter']);
    const taken = await run('name-key', { Input: { AliasName: 'taken' } });
    expect([taken.State, taken.ErrorCode]).toEqual(['FAILED', 'AlreadyExists.Alias']);
    const refusal = (await events('CreateAlias')).find((event) => event.Outcome === 'FAILURE' && event.Details.StepId === 'name-key');
    expect(refusal).toMatchObject({ ErrorCode: 'AlreadyExists.Alias', Details: { CeremonyId: ceremonyId } });
    const named = await run('name-key', { Input: { AliasName: 'ceremony-root' } });
    expect([named.State, named.Attempts, named.ErrorCode]).toEqual(['SIGNED_OFF', 3, null]);
    expect(named.Input).toMatchObject({ AliasName: 'alias/ceremony-root' });
  });

  it('uses a secret for the call only: never in the recorded input nor the audit log', async () => {
    expect((await refusedRun('seal-note')).Code).toBe('MissingParameter');
    const sealed = await run('seal-note', { Secrets: { Note: SECRET_NOTE } });
    expect(sealed.State).toBe('SIGNED_OFF');
    expect(sealed.Input).toEqual({ SecretName: 'ceremony-note', VersionId: 'v1' });
    expect((await t.call('GetSecretValue', { SecretName: 'ceremony-note' })).SecretData).toBe(SECRET_NOTE);
    const log = JSON.stringify((await t.call('ListAuditEvents', { PageSize: 100 } as never)).Events);
    expect(log).not.toContain(SECRET_NOTE);
    expect(JSON.stringify((await t.call('DescribeCeremony', { CeremonyId: ceremonyId })).Ceremony)).not.toContain(SECRET_NOTE);
  });

  it('waits for approvals on a quorum-protected step, then runs the approved request once', async () => {
    await t.call('UpdateQuorumPolicy', { Operations: ['ScheduleKeyDeletion'], MinApprovals: 2 });
    const keyId = (await stepOf('make-key')).Outputs[0]?.Value ?? '';
    const waiting = await run('schedule-deletion');
    expect(waiting.State).toBe('AWAITING_APPROVAL');
    const requestId = waiting.ApprovalRequestId ?? '';
    expect(requestId).toMatch(/^apr-/);
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('Enabled');
    const [request] = (await t.call('ListApprovalRequests', {})).ApprovalRequests.filter((candidate) => candidate.ApprovalRequestId === requestId);
    const digest = request?.RequestDigest ?? '';

    await t.call('ApproveRequest', { ApprovalRequestId: requestId, OfficerName: 'admin', Signature: admin.signDigest(digest) });
    const notYet = await run('schedule-deletion');
    expect([notYet.State, notYet.ErrorCode, notYet.ApprovalRequestId]).toEqual(['AWAITING_APPROVAL', 'Forbidden.Quorum', requestId]);
    await t.call('ApproveRequest', { ApprovalRequestId: requestId, OfficerName: 'wendy', Signature: w1.signDigest(digest) });
    const done = await run('schedule-deletion');
    expect([done.State, done.ApprovalRequestId, done.ErrorCode]).toEqual(['DONE', requestId, null]);
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState).toBe('PendingDeletion');
    const scheduled = (await events('ScheduleKeyDeletion')).filter((event) => event.Outcome === 'SUCCESS' && event.ResourceId === keyId);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.Details).toMatchObject({ CeremonyId: ceremonyId, StepId: 'schedule-deletion', ApprovalRequestId: requestId });
    expect(done.AuditSequence).toBe(scheduled[0]?.Sequence);
    await signOff('schedule-deletion', w1, done.SignOffDigest ?? '');
  });

  it('records deviations, skips only the current step, and completes once every step is signed off or skipped', async () => {
    expect((await t.fail('CompleteCeremony', { CeremonyId: ceremonyId })).Code).toBe('Forbidden.CeremonyStepOrder');
    const noted = await t.call('RecordDeviation', { CeremonyId: ceremonyId, StepId: 'make-key', Note: 'The HSM was warm from the previous run.' });
    expect(noted.Step.Deviations).toEqual([expect.objectContaining({ Note: 'The HSM was warm from the previous run.', RecordedBy: 'test-officer' })]);
    expect(noted.Step.State).toBe('SIGNED_OFF');
    expect((await t.fail('RecordDeviation', { CeremonyId: ceremonyId, StepId: 'make-key', Note: 'skip it', SkipStep: true })).Code).toBe('Forbidden.CeremonyStepOrder');
    const skipped = await t.call('RecordDeviation', { CeremonyId: ceremonyId, StepId: 'photo', Note: 'The camera is broken.', SkipStep: true });
    expect([skipped.Step.State, skipped.Ceremony.CurrentStepId]).toEqual(['SKIPPED', null]);

    const completed = await t.call('CompleteCeremony', { CeremonyId: ceremonyId });
    expect(completed.Ceremony.State).toBe('COMPLETED');
    expect(completed.Ceremony.EndedAt).not.toBeNull();
    expect((await t.fail('RecordDeviation', { CeremonyId: ceremonyId, StepId: 'photo', Note: 'late' })).Code).toBe('Forbidden.CeremonyState');
    expect((await t.fail('AbortCeremony', { CeremonyId: ceremonyId, Reason: 'too late' })).Code).toBe('Forbidden.CeremonyState');
    expect((await t.call('ListCeremonies', { State: 'COMPLETED' })).Ceremonies.map((ceremony) => ceremony.CeremonyId)).toEqual([ceremonyId]);
  });

  it('aborts a ceremony with its reason, and describes only ceremonies that exist', async () => {
    const { CeremonyId } = await t.call('StartCeremony', {
      ScriptName: 'runtime-test',
      Participants: [
        { OfficerName: 'admin', Role: 'CEREMONY_ADMINISTRATOR' },
        { OfficerName: 'wendy', Role: 'WITNESS' },
        { OfficerName: 'otto', Role: 'WITNESS' },
      ],
    });
    const aborted = await t.call('AbortCeremony', { CeremonyId, Reason: 'A witness fell ill.' });
    expect([aborted.Ceremony.State, aborted.Ceremony.CurrentStepId]).toEqual(['ABORTED', 'check-room']);
    expect((await t.fail('RunCeremonyStep', { CeremonyId, StepId: 'check-room' })).Code).toBe('Forbidden.CeremonyState');
    const record = (await events('AbortCeremony')).find((event) => event.ResourceId === CeremonyId);
    expect(record?.Details).toMatchObject({ Reason: 'A witness fell ill.', StoppedAtStep: 'check-room' });
    expect((await t.call('ListCeremonies', {})).Ceremonies.map((ceremony) => ceremony.CeremonyId)).toEqual([CeremonyId, ceremonyId]);
    expect((await t.fail('DescribeCeremony', { CeremonyId: 'cer-00000000-0000-0000-0000-000000000000' })).Code).toBe('NotFound.Ceremony');
  });

  it('leaves every step in the audit chain, which still verifies', async () => {
    const ofCeremony = async (operation: string) => (await events(operation)).filter((event) => event.ResourceId === ceremonyId && event.Outcome === 'SUCCESS');
    const steps = await ofCeremony('RunCeremonyStep');
    expect(new Set(steps.map((event) => event.Details.StepId))).toEqual(new Set(['check-room', 'make-key', 'public-key', 'name-key', 'seal-note', 'schedule-deletion']));
    expect(steps.some((event) => event.Details.Phase === 'STARTED' && event.Details.Operation === 'CreateKey')).toBe(true);
    expect(await ofCeremony('SignOffCeremonyStep')).toHaveLength(4);
    expect(await ofCeremony('RecordDeviation')).toHaveLength(2);
    // Refused calls are audited against the ceremony too.
    const refusedSignOffs = (await events('SignOffCeremonyStep')).filter((event) => event.ResourceId === ceremonyId && event.Outcome === 'FAILURE');
    expect(refusedSignOffs.map((event) => event.ErrorCode)).toContain('InvalidApprovalSignature');
    const verified = await t.call('VerifyAuditLog', {} as never);
    expect(verified.Valid).toBe(true);
  });

  it('exports the transcript of the completed ceremony over its audit span, signed, and verifies it', async () => {
    const exported = await t.call('ExportCeremonyTranscript', { CeremonyId: ceremonyId });
    const transcript = JSON.parse(exported.Json) as { Ceremony: Ceremony; AuditRange: { FromSequence: number; ToSequence: number } };
    const [started] = (await events('StartCeremony')).filter((event) => event.ResourceId === ceremonyId);
    const [completed] = (await events('CompleteCeremony')).filter((event) => event.ResourceId === ceremonyId);
    expect(transcript.AuditRange).toMatchObject({ FromSequence: started?.Sequence, ToSequence: completed?.Sequence });
    expect(transcript.Ceremony.State).toBe('COMPLETED');
    expect(exported.Json).not.toContain(SECRET_NOTE);
    const checked = await t.call('VerifyCeremonyTranscript', { Json: exported.Json, Signature: exported.Signature, Pdf: exported.Pdf, PdfSignature: exported.PdfSignature });
    expect([checked.Valid, checked.CeremonyId]).toEqual([true, ceremonyId]);
  });
});
