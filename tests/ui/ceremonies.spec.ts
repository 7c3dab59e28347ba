import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Ceremony } from '../../shared/contract';
import { CeremoniesPage, UnlockPage, type KmsClient, type TranscriptFile } from '../../testing';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../support/softhsm';
import { expect, screen, test } from './fixtures';
import { SCREENS_DIR } from './paths';

/*
 * Issue 15: built-in script (2), a root signing key, run in the console as the room would: the
 * officers and a connected cluster key store arranged through the API, the ceremony driven through
 * the Ceremonies page, witnesses signing off on their own SoftHSM2 tokens, the transcript checked
 * with openssl alone.
 */

test.use({ tokens: ['Ceremony HSM'] });

const SO_PIN = 'Ceremony-So-7731';
const KMSUSER_PASSWORD = 'Kmsuser2026cer';
const ADMINISTRATOR = 'alice';
const WITNESSES = ['bob', 'carol'] as const;
const pinOf = (name: string): string => `${name}-Officer-2026-user`;

/** One SoftHSM2 token per officer with an EC P-256 approval key, made as the officer would with pkcs11-tool. */
function makeOfficerToken(fixture: SoftHsmFixture, name: string): string {
  const serial = initializeTokenWithUtil(fixture, name, `${name}-Officer-2026`);
  const env = { ...process.env, SOFTHSM2_CONF: fixture.confPath };
  execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE_PATH, '--token-label', name, '--login', '--pin', pinOf(name), '--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'approval', '--id', '01'], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return serial;
}

async function enrollOfficers(kms: KmsClient, fixture: SoftHsmFixture): Promise<void> {
  const roles = [[ADMINISTRATOR, 'CEREMONY_ADMINISTRATOR'], ...WITNESSES.map((name) => [name, 'WITNESS'] as const)] as const;
  // The tokens exist before the module is registered: SoftHSM2 reads its slots once, when loaded.
  const serials = roles.map(([name]) => makeOfficerToken(fixture, name));
  const { ModuleId } = await kms.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: 'Officer tokens', Environment: { SOFTHSM2_CONF: fixture.confPath } });
  for (const [index, [name, role]] of roles.entries()) {
    await kms.call('CreateOfficer', { Name: name, Roles: [role], ApprovalKey: { ModuleId, TokenSerial: serials[index], KeyLabel: 'approval' }, Pin: pinOf(name) });
  }
}

/** A one-HSM lab cluster up to a connected private key store: where the root key is generated. */
async function connectedClusterKeyStore(kms: KmsClient, moduleId: string): Promise<string> {
  const { ClusterId } = await kms.call('CreateCluster', { ClusterName: 'root-ceremony', Description: 'ceremony lab cluster', AllowSingleHsm: true });
  const { Module } = await kms.call('DescribeModule', { ModuleId: moduleId });
  const slot = Module.Slots.find((candidate) => candidate.Token && !candidate.Token.Initialized);
  if (!slot) throw new Error('the lab HSM has no blank token');
  await kms.call('CreateHsm', { ClusterId, ModuleId: moduleId, Zone: 'vault-a', SlotId: slot.SlotId });
  const { ClusterOwnerCertificate } = await kms.call('InitializeCluster', { ClusterId, SoPin: SO_PIN });
  await kms.call('CreateCryptoUser', { ClusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
  await kms.call('ActivateCluster', { ClusterId });
  const { KeyStoreId } = await kms.call('CreateKeyStore', {
    KeyStoreName: 'root-store',
    ClusterId,
    KeyStorePassword: KMSUSER_PASSWORD,
    TrustAnchorCertificate: ClusterOwnerCertificate,
  });
  await kms.call('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
  return KeyStoreId;
}

async function save(ceremonies: CeremoniesPage, dir: string, file: TranscriptFile): Promise<string> {
  const target = path.join(dir, file);
  await (await ceremonies.download(file)).saveAs(target);
  return target;
}

function opensslVerifies(dir: string, signature: string, file: string): string {
  return execFileSync('openssl', ['dgst', '-sha256', '-verify', 'signing-key.pem', '-signature', signature, file], { cwd: dir, encoding: 'utf8' }).trim();
}

/** The print view, as the browser's print lays it out (static, so the whole page is one long screenshot). */
async function printScreen(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('ceremony-transcript')).toBeHidden();
  await expect(page.locator('.n-layout-sider')).toBeHidden();
  await mkdir(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
}

test('a root signing key ceremony runs step by step in the console, witnesses sign off, the transcript verifies with openssl', async ({ page, keyward, kms }) => {
  test.setTimeout(300_000);
  const officerTokens = await createSoftHsmFixture('keyward-ui-ceremony-officers-');
  const downloads = await mkdtemp(path.join(tmpdir(), 'keyward-ui-transcript-'));
  try {
    await enrollOfficers(kms, officerTokens);
    const keyStoreId = await connectedClusterKeyStore(kms, keyward.tokens[0]?.moduleId ?? '');
    const { Scripts } = await kms.call('ListCeremonyScripts', {});
    const script = Scripts.find((candidate) => candidate.Name === 'root-signing-key');
    if (!script) throw new Error('built-in script root-signing-key is missing');
    const parameters: Record<string, Record<string, string>> = {
      'check-key-store': { KeyStoreId: keyStoreId },
      'create-root-key': { KeySpec: 'EC_P256', KeyDescription: 'Root signing key, UI ceremony test', Alias: 'alias/ui-ceremony-root' },
    };

    await new UnlockPage(page).expectOpen();
    const ceremonies = new CeremoniesPage(page);
    await ceremonies.open();
    await expect(ceremonies.scriptRow('root-signing-key').getByTestId('ceremony-script-source')).toHaveText('built-in');

    // An imported script joins the built-in ones.
    const imported = path.join(downloads, 'witness-check.json');
    await writeFile(
      imported,
      JSON.stringify({
        Name: 'witness-check',
        Title: 'Witness check',
        Roles: [{ Role: 'WITNESS', Count: 1 }],
        Steps: [{ StepId: 'count-bags', Title: 'Count the bags', Instructions: 'Count the tamper-evident bags.', WitnessSignOffs: 1 }],
      }),
    );
    await ceremonies.importScript(imported, 'witness-check');
    await expect(ceremonies.scriptRow('witness-check').getByTestId('ceremony-script-source')).toHaveText('imported');

    // The start dialog asks for the script's roles; Start waits until each has enough officers.
    await ceremonies.chooseParticipants('root-signing-key', { CEREMONY_ADMINISTRATOR: [ADMINISTRATOR], WITNESS: [WITNESSES[0]] });
    await expect(page.getByTestId('ceremony-start-missing')).toContainText('WITNESS 1 more');
    await expect(page.getByTestId('ceremony-start-confirm')).toBeDisabled();
    await page.getByTestId('ceremony-start-cancel').click();
    await ceremonies.chooseParticipants('root-signing-key', { CEREMONY_ADMINISTRATOR: [ADMINISTRATOR], WITNESS: [...WITNESSES] });
    await expect(page.getByTestId('ceremony-start-missing')).toHaveCount(0);
    await screen(page, 'ceremony-start-dialog');
    await page.getByTestId('ceremony-start-confirm').click();
    await expect(ceremonies.currentStep).toHaveAttribute('data-step', 'prepare-room');
    const ceremonyId = (await page.getByTestId('ceremony-id').textContent()) ?? '';
    expect(ceremonyId).toMatch(/^cer-[0-9a-f-]{36}$/);
    await expect(ceremonies.stepRows).toHaveCount(script.Script.Steps.length);
    await expect(page.getByTestId('ceremony-participant')).toHaveCount(3);

    // A deviation is noted at the step it happened at; it does not stop the step.
    const deviation = 'Witness carol arrived ten minutes late; her identity was checked again.';
    await ceremonies.recordDeviation(deviation);
    await expect(page.getByTestId('ceremony-step-deviations')).toContainText(deviation);

    let keyId = '';
    let publicKeySha256 = '';
    for (const step of script.Script.Steps) {
      await expect(ceremonies.currentStep).toHaveAttribute('data-step', step.StepId);
      await expect(page.getByTestId('ceremony-step-instructions')).toHaveText(step.Instructions);
      if (step.StepId === 'check-key-store') {
        // A refused operation leaves the step FAILED with its error; the step is run again once fixed.
        expect(await ceremonies.runStep({ KeyStoreId: 'kst-00000000-0000-4000-8000-000000000000' })).toBe('FAILED');
        await expect(ceremonies.stepError).toHaveAttribute('data-code', /^(NotFound\.KeyStore|InvalidParameter)$/);
        await expect(ceremonies.currentStep.getByTestId('ceremony-step-run')).toHaveText('Run again');
        await screen(page, 'ceremony-step-failed');
      }
      const state = await ceremonies.runStep(parameters[step.StepId] ?? {});
      await expect(ceremonies.stepError).toHaveCount(0);
      expect(state, `state of ${step.StepId} after its run`).toBe(step.WitnessSignOffs > 0 ? 'DONE' : 'SIGNED_OFF');
      if (step.WitnessSignOffs === 0) continue;
      await expect(ceremonies.stepState).toHaveAttribute('data-state', 'DONE');
      if (step.StepId === 'create-root-key') keyId = await ceremonies.output('KeyId');
      if (step.StepId === 'record-public-key') {
        publicKeySha256 = await ceremonies.output('PublicKeySha256');
        await screen(page, 'ceremony-running-step');
      }
      await expect(page.getByTestId('ceremony-step-digest')).toHaveText(/^[0-9a-f]{64}$/);
      for (const witness of WITNESSES.slice(0, step.WitnessSignOffs)) await ceremonies.signOff(witness, { pin: pinOf(witness) });
      await expect(ceremonies.stepRow(step.StepId)).toHaveAttribute('data-state', 'SIGNED_OFF');
    }

    // The fingerprint the witnesses read aloud is the SHA-256 of the new key's DER public key.
    expect(keyId).not.toBe('');
    const { PublicKey } = await kms.call('GetPublicKey', { KeyId: keyId });
    expect(publicKeySha256).toBe(createHash('sha256').update(createPublicKey(PublicKey).export({ type: 'spki', format: 'der' })).digest('hex'));

    await expect(page.getByTestId('ceremony-ready')).toBeVisible();
    await ceremonies.complete();
    const fingerprint = await ceremonies.exportTranscript();
    const signingKey = await kms.call('GetAuditSigningKey', {});
    expect(fingerprint.replace(/:/g, '').toLowerCase()).toBe(signingKey.Sha256);
    await screen(page, 'ceremony-completed');
    await printScreen(page, 'ceremony-print');

    for (const file of ['transcript.json', 'transcript.sig', 'transcript.pdf', 'transcript.pdf.sig', 'signing-key.pem'] as const) await save(ceremonies, downloads, file);
    expect(opensslVerifies(downloads, 'transcript.sig', 'transcript.json')).toBe('Verified OK');
    expect(opensslVerifies(downloads, 'transcript.pdf.sig', 'transcript.pdf')).toBe('Verified OK');
    const transcript = JSON.parse(await readFile(path.join(downloads, 'transcript.json'), 'utf8')) as { Ceremony: Ceremony };
    expect(transcript.Ceremony).toMatchObject({ CeremonyId: ceremonyId, State: 'COMPLETED' });
    expect(transcript.Ceremony.Steps[0]?.Deviations.map((recorded) => recorded.Note)).toEqual([deviation]);
    expect(transcript.Ceremony.Steps.find((recorded) => recorded.StepId === 'record-public-key')?.Outputs).toContainEqual({ Name: 'PublicKeySha256', Kind: 'SHA256', Value: publicKeySha256 });
    expect((await readFile(path.join(downloads, 'transcript.pdf'))).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // One altered byte and openssl refuses the transcript.
    const json = await readFile(path.join(downloads, 'transcript.json'), 'utf8');
    await writeFile(path.join(downloads, 'transcript.json'), json.replace('COMPLETED', 'COMPLETEd'));
    expect(() => opensslVerifies(downloads, 'transcript.sig', 'transcript.json')).toThrow();

    // The list shows the ceremony as completed.
    await ceremonies.open();
    await expect(ceremonies.ceremoniesTable.locator('tr', { hasText: ceremonyId }).getByTestId('ceremony-row-state')).toHaveText('COMPLETED');
  } finally {
    await rm(downloads, { recursive: true, force: true });
    await officerTokens.cleanup();
  }
});
