/**
 * Ceremonies across a stop of Keyward: a step left RUNNING is settled from the audit chain when
 * the ceremony is next read, never run again by itself. (a) The operation committed (its audit
 * record names the step): DONE, saying so. (b) It did not: PENDING, and it runs once when asked.
 * A step RUNNING in another live process is left alone. (c) A real SIGKILL of `kms RunCeremonyStep` while an RSA-4096 key is being made: whatever the
 * moment, the step is settled and the key exists at most once.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CeremonyStepRecord } from '../../../shared/contract';
import { enrollPemOfficer } from '../../support/ceremony-officers';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, removeDir, type TestCore } from '../../support/test-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const SCRIPTS = [
  {
    Name: 'resume-test',
    Title: 'Resume test',
    Roles: [
      { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
      { Role: 'WITNESS', Count: 1 },
    ],
    Steps: [
      {
        StepId: 'make-key',
        Title: 'Make a key',
        Instructions: 'Generate the key.',
        Operation: 'CreateKey',
        Input: { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY', Description: 'resume ${Label}' },
        Parameters: [{ Name: 'Label', Label: 'Label' }],
        WitnessSignOffs: 1,
        Outputs: [{ Name: 'KeyId', From: 'KeyMetadata.KeyId' }],
      },
      { StepId: 'after', Title: 'After', Instructions: 'Nothing to do.' },
    ],
  },
  {
    Name: 'resume-kill',
    Title: 'Killed while making a big key',
    Roles: [{ Role: 'CEREMONY_ADMINISTRATOR', Count: 1 }],
    Steps: [
      { StepId: 'big-key', Title: 'Make an RSA-4096 key', Instructions: 'Generate it.', Operation: 'CreateKey', Input: { KeySpec: 'RSA_4096', KeyUsage: 'SIGN/VERIFY', Description: 'killed-ceremony-key' } },
    ],
  },
];

const PARTICIPANTS = [
  { OfficerName: 'admin', Role: 'CEREMONY_ADMINISTRATOR' },
  { OfficerName: 'wendy', Role: 'WITNESS' },
] as const;

describe('Ceremony resume after a stop', () => {
  let t: TestCore;
  let dataDir: string;

  const registryFile = (): string => path.join(dataDir, 'registry.sqlite');
  const reopen = async (): Promise<void> => {
    t = await createTestCore(dataDir);
    await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
  };
  const keysDescribed = async (description: string): Promise<number> => {
    const { Keys } = await t.call('ListKeys', {} as never);
    const described = await Promise.all(Keys.map(async (key) => (await t.call('DescribeKey', { KeyId: key.KeyId })).KeyMetadata.Description));
    return described.filter((text) => text === description).length;
  };
  const stepOf = async (ceremonyId: string, stepId: string): Promise<CeremonyStepRecord> => {
    const { Ceremony } = await t.call('DescribeCeremony', { CeremonyId: ceremonyId });
    const step = Ceremony.Steps.find((candidate) => candidate.StepId === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    return step;
  };
  /** What a stop between "marked RUNNING" and "outcome recorded" leaves, written while no core has the file open. */
  const leaveRunning = (ceremonyId: string, stepId: string, runner: string | null = null): void => {
    const db = new Database(registryFile());
    try {
      const changed = db
        .prepare("UPDATE ceremony_steps SET state = 'RUNNING', outputs = '[]', audit_sequence = NULL, finished_at = NULL, attempts = 1, started_at = ?, runner = ? WHERE ceremony_id = ? AND step_id = ?")
        .run(new Date().toISOString(), runner, ceremonyId, stepId).changes;
      expect(changed).toBe(1);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    t = await createInitializedTestCore();
    dataDir = t.dataDir;
    await enrollPemOfficer(t, 'admin', ['CEREMONY_ADMINISTRATOR']);
    await enrollPemOfficer(t, 'wendy', ['WITNESS']);
    for (const script of SCRIPTS) await t.call('ImportCeremonyScript', { Script: JSON.stringify(script) });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (dataDir) removeDir(dataDir);
  });

  it('settles a RUNNING step from the audit chain: DONE when its operation committed, PENDING (run once when asked) when not', async () => {
    const ran = (await t.call('StartCeremony', { ScriptName: 'resume-test', Participants: [...PARTICIPANTS] })).CeremonyId;
    const made = (await t.call('RunCeremonyStep', { CeremonyId: ran, StepId: 'make-key', Input: { Label: 'ran' } })).Step;
    const keyId = made.Outputs[0]?.Value ?? '';
    expect([made.State, keyId]).toEqual(['DONE', expect.stringMatching(/\S/)]);
    const notRun = (await t.call('StartCeremony', { ScriptName: 'resume-test', Participants: [...PARTICIPANTS] })).CeremonyId;
    await t.close();

    leaveRunning(ran, 'make-key');
    leaveRunning(notRun, 'make-key');
    await reopen();

    // (a) ran: its CreateKey record names the step.
    const settled = await stepOf(ran, 'make-key');
    expect([settled.State, settled.Recovered, settled.AuditSequence]).toEqual(['DONE', `ran: audit record #${made.AuditSequence}`, made.AuditSequence]);
    expect(settled.Outputs).toEqual([{ Name: 'KeyId', Kind: 'VALUE', Value: keyId }]);
    expect(await keysDescribed('resume ran')).toBe(1);
    expect((await t.fail('RunCeremonyStep', { CeremonyId: ran, StepId: 'make-key', Input: { Label: 'ran' } })).Code).toBe('Forbidden.CeremonyStepOrder');
    expect(await keysDescribed('resume ran')).toBe(1);
    const { Events } = await t.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['RunCeremonyStep'] }] } as never);
    expect(Events.find((event) => event.ResourceId === ran && event.Details.Phase === 'RECOVERED')?.Details).toMatchObject({ StepId: 'make-key', Ran: true, AuditSequence: made.AuditSequence ?? -1 });

    // (b) did not run: no record, so PENDING; nothing ran meanwhile, and it runs exactly once when asked.
    const pending = await stepOf(notRun, 'make-key');
    expect([pending.State, pending.Recovered]).toEqual(['PENDING', 'did not run: no audit record']);
    expect(await keysDescribed('resume again')).toBe(0);
    const rerun = (await t.call('RunCeremonyStep', { CeremonyId: notRun, StepId: 'make-key', Input: { Label: 'again' } })).Step;
    expect([rerun.State, rerun.Attempts, rerun.Recovered]).toEqual(['DONE', 2, null]);
    expect(await keysDescribed('resume again')).toBe(1);
  }, 120_000);

  it('leaves a step RUNNING while the process running it lives (another kms on the same data directory), and settles it once that process is gone', async () => {
    const ceremonyId = (await t.call('StartCeremony', { ScriptName: 'resume-test', Participants: [...PARTICIPANTS] })).CeremonyId;
    await t.close();
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      leaveRunning(ceremonyId, 'make-key', `${other.pid}:${processStartTime(other.pid ?? 0)}`);
      await reopen();
      expect((await stepOf(ceremonyId, 'make-key')).State).toBe('RUNNING');
      expect((await t.fail('RunCeremonyStep', { CeremonyId: ceremonyId, StepId: 'make-key', Input: { Label: 'twice' } })).Code).toBe('Forbidden.CeremonyStepOrder');
      expect(await keysDescribed('resume twice')).toBe(0);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    const settled = await stepOf(ceremonyId, 'make-key');
    expect([settled.State, settled.Recovered]).toEqual(['PENDING', 'did not run: no audit record']);
  }, 120_000);

  it('settles a step whose kms process was SIGKILLed while it ran, and never makes its key twice', async () => {
    const ceremonyId = (await t.call('StartCeremony', { ScriptName: 'resume-kill', Participants: [...PARTICIPANTS] })).CeremonyId;
    await t.close();

    const seen = await runKmsAndKillWhenRunning(['RunCeremonyStep', '--CeremonyId', ceremonyId, '--StepId', 'big-key'], registryFile(), ceremonyId);
    await reopen();
    const step = await stepOf(ceremonyId, 'big-key');
    const count = await keysDescribed('killed-ceremony-key');
    expect(seen.killedWhileRunning, seen.stderr).toBe(true);
    // Null only when the process recorded the outcome itself between the poll and the kill.
    if (step.Recovered !== null) expect(step.Recovered).toMatch(/^(ran: audit record #\d+|did not run: no audit record)$/);
    // The key row and its CreateKey record commit together: the step says ran exactly when the key exists.
    expect(step.State === 'SIGNED_OFF' ? 1 : 0, JSON.stringify({ step, seen })).toBe(count);
    if (step.State !== 'SIGNED_OFF') {
      expect(step.State).toBe('PENDING');
      expect((await t.call('RunCeremonyStep', { CeremonyId: ceremonyId, StepId: 'big-key' })).Step.State).toBe('SIGNED_OFF');
    }
    expect(await keysDescribed('killed-ceremony-key')).toBe(1);
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
  }, 180_000);
});

/** Field 22 of /proc/<pid>/stat, as runner-process.ts records it. */
function processStartTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/** Runs kms and SIGKILLs it as soon as the step's row reads RUNNING (or lets it finish, if it never does). */
function runKmsAndKillWhenRunning(args: string[], registryFile: string, ceremonyId: string): Promise<{ killedWhileRunning: boolean; code: number | null; stderr: string }> {
  const env = { ...process.env, KMS_DATA_DIR: path.dirname(registryFile), KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/cli/kms.ts'), ...args], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killedWhileRunning = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const db = new Database(registryFile, { readonly: true, fileMustExist: true });
    const state = db.prepare<[string], { state: string }>("SELECT state FROM ceremony_steps WHERE ceremony_id = ? AND step_id = 'big-key'");
    const poll = setInterval(() => {
      if (state.get(ceremonyId)?.state !== 'RUNNING') return;
      killedWhileRunning = true;
      clearInterval(poll);
      child.kill('SIGKILL');
    }, 5);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(poll);
      db.close();
      resolve({ killedWhileRunning, code, stderr });
    });
  });
}
