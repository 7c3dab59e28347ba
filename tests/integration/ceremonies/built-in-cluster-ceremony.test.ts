/**
 * Built-in script (1), hsm-cluster-key-store, end to end on a real core: two SoftHSM2 tokens (two
 * modules, one per zone) become an active cluster with kmsuser and a connected private key store,
 * step by step before three officers whose approval keys are EC P-256 key pairs on three more
 * SoftHSM2 tokens (witnesses sign off with their PINs, Keyward signs on their tokens). The SO PIN
 * and kmsuser password go in as step secrets and are found nowhere afterwards; the signed
 * transcript is checked with openssl alone, and its PDF with pdftotext and pdftoppm.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ceremony, CeremonyStepRecord, OperationOutput } from '../../../shared/contract';
import { KMSUSER_PASSWORD, SO_PIN } from '../../support/cluster-flow';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../../support/softhsm';
import { createInitializedTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const SCRIPT_NAME = 'hsm-cluster-key-store';
const OFFICERS = [
  { name: 'ada', role: 'CEREMONY_ADMINISTRATOR' },
  { name: 'wes', role: 'WITNESS' },
  { name: 'wren', role: 'WITNESS' },
] as const;
const WITNESSES = ['wes', 'wren'] as const;
const pinOf = (name: string): string => `${name}-So-2026-user`;
const hasPoppler = spawnSync('pdftotext', ['-v']).error === undefined;
const POPPLER_NOTE = hasPoppler ? '' : ' (SKIPPED: pdftotext is not installed; install poppler-utils)';

interface StepValues {
  Input?: Record<string, string>;
  Secrets?: Record<string, string>;
}

describe('built-in ceremony hsm-cluster-key-store, end to end', () => {
  let t: TestCore;
  let officerTokens: SoftHsmFixture;
  let zoneA: SoftHsmFixture;
  let zoneB: SoftHsmFixture;
  let work: string;
  let ceremonyId: string;
  let ceremony: Ceremony;
  let exported: OperationOutput<'ExportCeremonyTranscript'>;
  const members: { moduleId: string; serial: string; zone: string }[] = [];

  /** What each step is given at run time: the site's values and, for some, the custodians' secrets. */
  const valuesOf = (stepId: string): StepValues => {
    const [first, second] = members;
    switch (stepId) {
      case 'create-cluster':
        return { Input: { ClusterName: 'Ceremony cluster', ClusterDescription: 'Root of trust, ceremony test' } };
      case 'add-hsm-zone-a':
        return { Input: { ModuleId: first?.moduleId ?? '', TokenSerial: first?.serial ?? '', Zone: 'zone-a' } };
      case 'add-hsm-zone-b':
        return { Input: { ModuleId: second?.moduleId ?? '', TokenSerial: second?.serial ?? '', Zone: 'zone-b' } };
      case 'initialize-cluster':
        return { Secrets: { SoPin: SO_PIN } };
      case 'create-kmsuser':
        return { Secrets: { KmsuserPassword: KMSUSER_PASSWORD, SoPin: SO_PIN } };
      case 'create-key-store':
        return { Input: { KeyStoreName: 'ceremony-store' }, Secrets: { KmsuserPassword: KMSUSER_PASSWORD } };
      case 'connect-key-store':
        return { Secrets: { KmsuserPassword: KMSUSER_PASSWORD } };
      default:
        return {};
    }
  };
  const stepOf = (stepId: string): CeremonyStepRecord => {
    const step = ceremony.Steps.find((candidate) => candidate.StepId === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    return step;
  };
  const outputOf = (stepId: string, name: string): string => stepOf(stepId).Outputs.find((output) => output.Name === name)?.Value ?? `(no ${name})`;

  beforeAll(async () => {
    t = await createInitializedTestCore();
    work = mkdtempSync(path.join(tmpdir(), 'keyward-ceremony-files-'));

    // Three officer tokens, each with an EC P-256 approval key made outside Keyward.
    officerTokens = await createSoftHsmFixture('keyward-ceremony-officers-');
    const env = { ...process.env, SOFTHSM2_CONF: officerTokens.confPath };
    const officerSerials = OFFICERS.map(({ name }) => {
      const serial = initializeTokenWithUtil(officerTokens, name, `${name}-So-2026`);
      execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE_PATH, '--token-label', name, '--login', '--pin', pinOf(name), '--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'approval', '--id', '01'], { env, stdio: 'ignore' });
      return serial;
    });
    const officerModule = await t.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: 'Officer tokens', Environment: { SOFTHSM2_CONF: officerTokens.confPath } });
    for (const [index, { name, role }] of OFFICERS.entries()) {
      await t.call('CreateOfficer', { Name: name, Roles: [role], ApprovalKey: { ModuleId: officerModule.ModuleId, TokenSerial: officerSerials[index] ?? '', KeyLabel: 'approval' }, Pin: pinOf(name) });
    }

    // Two HSMs, one per zone, each its own module; the vendor initialized them (so they have serials).
    zoneA = await createSoftHsmFixture('keyward-ceremony-zone-a-');
    zoneB = await createSoftHsmFixture('keyward-ceremony-zone-b-');
    for (const [fixture, zone] of [[zoneA, 'zone-a'], [zoneB, 'zone-b']] as const) {
      const serial = initializeTokenWithUtil(fixture, `hsm-${zone}`, SO_PIN);
      const { ModuleId } = await t.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: `HSM ${zone}`, Environment: { SOFTHSM2_CONF: fixture.confPath } });
      members.push({ moduleId: ModuleId, serial, zone });
    }
  }, 240_000);
  afterAll(async () => {
    if (t) await disposeTestCore(t);
    await officerTokens?.cleanup();
    await zoneA?.cleanup();
    await zoneB?.cleanup();
    if (work) removeDir(work);
  });

  it('is listed as a built-in script needing an administrator and two witnesses', async () => {
    const { Scripts } = await t.call('ListCeremonyScripts', {});
    const script = Scripts.find((candidate) => candidate.Name === SCRIPT_NAME);
    expect(script).toMatchObject({ BuiltIn: true, Title: 'HSM cluster, kmsuser and private key store' });
    expect(script?.Script.Roles).toEqual([
      { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
      { Role: 'WITNESS', Count: 2 },
    ]);
    expect((await t.fail('ImportCeremonyScript', { Script: JSON.stringify(script?.Script) })).Code).toBe('AlreadyExists.CeremonyScript');
  });

  it('runs every step in order, each signed off by its witnesses on their tokens', async () => {
    const started = await t.call('StartCeremony', { ScriptName: SCRIPT_NAME, Participants: OFFICERS.map(({ name, role }) => ({ OfficerName: name, Role: role })) });
    ceremonyId = started.CeremonyId;
    ceremony = started.Ceremony;
    const { Script } = (await t.call('ListCeremonyScripts', {})).Scripts.find((candidate) => candidate.Name === SCRIPT_NAME) ?? { Script: null };
    if (!Script) throw new Error('script not listed');

    for (const scriptStep of Script.Steps) {
      expect(ceremony.CurrentStepId).toBe(scriptStep.StepId);
      const { Step } = await t.call('RunCeremonyStep', { CeremonyId: ceremonyId, StepId: scriptStep.StepId, ...valuesOf(scriptStep.StepId) });
      expect([Step.State, Step.ErrorCode, Step.ErrorMessage], scriptStep.StepId).toEqual(['DONE', null, null]);
      expect(Step.SignOffDigest).toMatch(/^[0-9a-f]{64}$/);
      for (const witness of WITNESSES.slice(0, scriptStep.WitnessSignOffs)) {
        ceremony = (await t.call('SignOffCeremonyStep', { CeremonyId: ceremonyId, StepId: scriptStep.StepId, OfficerName: witness, Pin: pinOf(witness) })).Ceremony;
      }
      expect(stepOf(scriptStep.StepId).State, scriptStep.StepId).toBe('SIGNED_OFF');
      expect(stepOf(scriptStep.StepId).SignOffs.map((signOff) => signOff.OfficerName)).toEqual(WITNESSES.slice(0, scriptStep.WitnessSignOffs));
    }
    expect(ceremony.CurrentStepId).toBeNull();
    ceremony = (await t.call('CompleteCeremony', { CeremonyId: ceremonyId })).Ceremony;
    expect(ceremony.State).toBe('COMPLETED');
  }, 240_000);

  it('left an active cluster of the two HSMs with a connected private key store, as the outputs say', async () => {
    const clusterId = outputOf('create-cluster', 'ClusterId');
    const { Cluster } = await t.call('DescribeCluster', { ClusterId: clusterId });
    expect(Cluster).toMatchObject({ State: 'ACTIVE', HsmCount: 2, Zones: ['zone-a', 'zone-b'], KeyStoreId: outputOf('create-key-store', 'KeyStoreId') });
    expect(Cluster.Hsms.map((hsm) => [hsm.HsmId, hsm.TokenSerial, hsm.State])).toEqual([
      [outputOf('add-hsm-zone-a', 'HsmId'), members[0]?.serial, 'INITIALIZED'],
      [outputOf('add-hsm-zone-b', 'HsmId'), members[1]?.serial, 'INITIALIZED'],
    ]);
    expect(outputOf('check-members', 'HsmCount')).toBe('2');
    expect(outputOf('check-members', 'Zones')).toBe('["zone-a","zone-b"]');
    expect(outputOf('activate-cluster', 'State')).toBe('ACTIVE');
    expect(outputOf('connect-key-store', 'ConnectionState')).toBe('CONNECTED');
    const { KeyStores } = await t.call('DescribeKeyStores', { KeyStoreId: outputOf('create-key-store', 'KeyStoreId') });
    expect(KeyStores[0]).toMatchObject({ KeyStoreName: 'ceremony-store', KeyStoreType: 'HSM_CLUSTER', ConnectionState: 'CONNECTED', ClusterId: clusterId });

    // The owner certificate: recorded whole once, fingerprinted (SHA-256 of its DER) twice, alike.
    const { ClusterOwnerCertificate } = await t.call('GetClusterCertificate', { ClusterId: clusterId });
    expect(outputOf('verify-owner-certificate', 'OwnerCertificate')).toBe(ClusterOwnerCertificate);
    const der = Buffer.from(ClusterOwnerCertificate.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const fingerprint = createHash('sha256').update(der).digest('hex');
    expect(outputOf('initialize-cluster', 'OwnerCertificateSha256')).toBe(fingerprint);
    expect(outputOf('verify-owner-certificate', 'OwnerCertificateSha256')).toBe(fingerprint);
    expect(stepOf('create-key-store').Input).toMatchObject({ TrustAnchorCertificate: ClusterOwnerCertificate, KeyStoreType: 'HSM_CLUSTER' });
  });

  it('recorded the inputs without their secrets and audited each operation under the ceremony and step', async () => {
    expect(stepOf('create-kmsuser').Input).toEqual({ ClusterId: outputOf('create-cluster', 'ClusterId'), UserName: 'kmsuser' });
    expect(stepOf('initialize-cluster').Input).toEqual({ ClusterId: outputOf('create-cluster', 'ClusterId') });
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['InitializeCluster', 'CreateCryptoUser', 'CreateKeyStore', 'ConnectKeyStore'] }] });
    // InitializeCluster also audits each member token it initializes: every record names the step.
    const stepOfOperation: Record<string, string> = { InitializeCluster: 'initialize-cluster', CreateCryptoUser: 'create-kmsuser', CreateKeyStore: 'create-key-store', ConnectKeyStore: 'connect-key-store' };
    const inOrder = [...Events].reverse();
    expect(inOrder.map((event) => [event.Operation, event.Outcome, event.Details.CeremonyId, event.Details.StepId])).toEqual(
      inOrder.map((event) => [event.Operation, 'SUCCESS', ceremonyId, stepOfOperation[event.Operation]]),
    );
    expect([...new Set(inOrder.map((event) => event.Operation))]).toEqual(['InitializeCluster', 'CreateCryptoUser', 'CreateKeyStore', 'ConnectKeyStore']);
    const lastInitialize = inOrder.filter((event) => event.Operation === 'InitializeCluster').at(-1);
    expect(lastInitialize?.ResourceId).toBe(outputOf('create-cluster', 'ClusterId'));
    expect(stepOf('initialize-cluster').AuditSequence).toBe(lastInitialize?.Sequence);

    const everything: string[] = [JSON.stringify(await t.call('DescribeCeremony', { CeremonyId: ceremonyId }))];
    for (let page = 1; ; page += 1) {
      const { Events: batch } = await t.call('ListAuditEvents', { PageSize: 100, PageNumber: page });
      everything.push(JSON.stringify(batch));
      if (batch.length < 100) break;
    }
    for (const secret of [SO_PIN, KMSUSER_PASSWORD, ...OFFICERS.map(({ name }) => pinOf(name))]) {
      for (const text of everything) expect(text).not.toContain(secret);
    }
  });

  it('exports a transcript whose JSON and PDF signatures openssl verifies, and which VerifyCeremonyTranscript accepts', async () => {
    exported = await t.call('ExportCeremonyTranscript', { CeremonyId: ceremonyId });
    writeFileSync(path.join(work, 'transcript.json'), exported.Json);
    writeFileSync(path.join(work, 'transcript.sig'), Buffer.from(exported.Signature, 'base64'));
    writeFileSync(path.join(work, 'transcript.pdf'), Buffer.from(exported.Pdf, 'base64'));
    writeFileSync(path.join(work, 'transcript.pdf.sig'), Buffer.from(exported.PdfSignature, 'base64'));
    writeFileSync(path.join(work, 'signing-key.pem'), exported.SigningPublicKey);
    const verify = (signature: string, file: string): string =>
      spawnSync('openssl', ['dgst', '-sha256', '-verify', 'signing-key.pem', '-signature', signature, file], { cwd: work, encoding: 'utf8' }).stdout.trim();
    expect(verify('transcript.sig', 'transcript.json')).toBe('Verified OK');
    expect(verify('transcript.pdf.sig', 'transcript.pdf')).toBe('Verified OK');
    writeFileSync(path.join(work, 'altered.json'), exported.Json.replace('"COMPLETED"', '"ABORTED"'));
    expect(verify('transcript.sig', 'altered.json')).not.toBe('Verified OK');

    const transcript = JSON.parse(exported.Json) as { Ceremony: Ceremony; Script: { Name: string }; AuditRange: { FromSequence: number; ToSequence: number } };
    expect(transcript.Ceremony.CeremonyId).toBe(ceremonyId);
    expect(transcript.Ceremony.ScriptSha256).toBe(ceremony.ScriptSha256);
    expect(transcript.Script.Name).toBe(SCRIPT_NAME);
    expect(transcript.AuditRange.ToSequence).toBeGreaterThan(transcript.AuditRange.FromSequence);
    for (const secret of [SO_PIN, KMSUSER_PASSWORD]) expect(exported.Json).not.toContain(secret);

    const verdict = await t.call('VerifyCeremonyTranscript', { Json: exported.Json, Signature: exported.Signature, Pdf: exported.Pdf, PdfSignature: exported.PdfSignature });
    expect(verdict).toMatchObject({ Valid: true, SignatureValid: true, PdfValid: true, CeremonyId: ceremonyId });
  });

  it.skipIf(!hasPoppler)(`renders a PDF that reads back with the title, every step and the fingerprints, and turns into page images${POPPLER_NOTE}`, () => {
    const text = execFileSync('pdftotext', ['-layout', 'transcript.pdf', '-'], { cwd: work, encoding: 'utf8' });
    for (const expected of [
      'HSM cluster, kmsuser and private key store',
      ceremonyId,
      ceremony.ScriptSha256,
      outputOf('verify-owner-certificate', 'OwnerCertificateSha256'),
      (JSON.parse(exported.Json) as { SigningKeySha256: string }).SigningKeySha256,
      ...ceremony.Steps.map((step) => step.Title),
    ]) {
      expect(text).toContain(expected);
    }
    execFileSync('pdftoppm', ['-r', '30', '-png', 'transcript.pdf', 'page'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const images = readdirSync(work).filter((file) => /^page-\d+\.png$/.test(file));
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) expect(readFileSync(path.join(work, image)).subarray(1, 4).toString()).toBe('PNG');
  });
});
