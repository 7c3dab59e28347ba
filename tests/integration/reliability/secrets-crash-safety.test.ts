/**
 * R3 for Secrets Manager: a process running the real core puts new versions of three secrets
 * (custom stages, check-and-set) and moves them between two CMKs (UpdateSecret re-wraps every
 * version's data key), and is SIGKILLed at seeded random points. After every kill the registry
 * opens, the audit chain verifies, every stored version opens and holds exactly the value derived
 * from its id, every acknowledged version is there (or was pruned as the newest-10 rule allows),
 * stages are consistent and each secret is under the CMK of its last UpdateSecret. The next run
 * first retries the put the kill cut, with the same VersionId: it must answer as a fresh put. At
 * the end the audit trail is checked against the versions: each stored version has its record
 * (same transaction), none was stored twice, and each secret's CMK is the one its last record names.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_STAGE, MAX_SECRET_STAGES, MAX_UNSTAGED_SECRET_VERSIONS, PREVIOUS_STAGE, type AuditEvent } from '../../../shared/contract';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { CRASH_SECRET_NAMES, crashValue, INITIAL_VERSION_ID, parsePut } from './support/crash-secrets';
import { thousands, writeFigures } from './support/figures';
import { runDriverAndKill } from './support/kill-driver';
import { Random, suiteSeed } from './support/random';

const SEED = suiteSeed(0x5eed_0011);
const KILLS = Number(process.env.KEYWARD_SECRET_CRASH_POINTS ?? 24);
const PASSWORD = 'Crash7SecretsQ';
const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'secret-driver.ts');
/** Two data directories killed in parallel: one per core of the machine. */
const LANES = 2;

interface Lane {
  dataDir: string;
  keys: [string, string];
  /** Per secret, every version a put was begun for, in the order they were begun (= commit order). */
  attempted: Map<string, string[]>;
  /** `<secret> <version>` of every acknowledged version. */
  acknowledged: Set<string>;
  /** Per secret, the CMKs it may be under: one after an acknowledged UpdateSecret, two while one was cut. */
  possibleCmks: Map<string, Set<string>>;
  /** The put the last kill cut: the next run retries it. */
  retry: string | null;
}

interface RunOutcome {
  interrupted: string;
  signal: string | null;
  stderr: string;
  puts: number;
  updates: number;
}

const random = new Random(SEED);
const lanes: Lane[] = Array.from({ length: LANES }, () => ({
  dataDir: mkdtempSync(path.join(tmpdir(), 'keyward-secret-crash-')),
  keys: ['', ''],
  attempted: new Map(CRASH_SECRET_NAMES.map((name) => [name, [INITIAL_VERSION_ID]])),
  acknowledged: new Set(CRASH_SECRET_NAMES.map((name) => `${name} ${INITIAL_VERSION_ID}`)),
  possibleCmks: new Map(),
  retry: null,
}));
const stats = { puts: 0, updates: 0, versionsRead: 0, pruned: 0, retried: 0, cutCommitted: 0, auditRecords: 0, interrupted: {} as Record<string, number> };
const killDelays: number[] = [];

/** Applies the driver's complete lines (a line cut by the kill does not count) to the lane's record. */
function follow(lane: Lane, lines: string[]): Omit<RunOutcome, 'signal' | 'stderr'> {
  let last = '';
  let puts = 0;
  let updates = 0;
  for (const line of lines) {
    const [kind, op, ...rest] = line.split(' ');
    if (kind === 'BEGIN' && op === 'PutSecretValue') {
      const put = parsePut(rest.join(' '));
      const versions = lane.attempted.get(put.secretName)!;
      if (!versions.includes(put.versionId)) versions.push(put.versionId);
    } else if (kind === 'BEGIN' && op === 'UpdateSecret') {
      lane.possibleCmks.get(rest[0]!)!.add(rest[1]!);
    } else if (kind === 'PUT') {
      lane.acknowledged.add(`${op} ${rest[0]}`);
      puts += 1;
    } else if (kind === 'CMK') {
      lane.possibleCmks.set(op!, new Set([rest[0]!]));
      updates += 1;
    } else continue;
    last = line;
  }
  lane.retry = last.startsWith('BEGIN PutSecretValue ') ? last.slice('BEGIN PutSecretValue '.length) : null;
  const interrupted = last.startsWith('BEGIN ') ? last.split(' ')[1]! : 'between operations';
  return { interrupted, puts, updates };
}

/** Runs the driver, kills it `delayMs` after it is connected, and applies what it acknowledged. */
async function runAndKill(lane: Lane, run: number, delayMs: number): Promise<RunOutcome> {
  const options = { dataDir: lane.dataDir, keys: lane.keys, run, seed: (SEED + run * 7919) >>> 0, retry: lane.retry };
  const { lines, signal, stderr } = await runDriverAndKill(DRIVER, [JSON.stringify(options)], delayMs, { ...process.env, KW_CRASH_PASSWORD: PASSWORD });
  return { ...follow(lane, lines), signal, stderr };
}

/**
 * Everything a kill must leave intact, through the operations an officer would use. Returns how
 * many versions it read back.
 */
async function checkSecrets(t: TestCore, lane: Lane): Promise<{ read: number; pruned: number }> {
  let read = 0;
  let pruned = 0;
  for (const name of CRASH_SECRET_NAMES) {
    const described = await t.call('DescribeSecret', { SecretName: name });
    expect([...lane.possibleCmks.get(name)!], `CMK of ${name}`).toContain(described.EncryptionKeyId);

    const entries = described.VersionIdsToStages;
    const stages = entries.flatMap((entry) => entry.VersionStages);
    expect(new Set(stages).size, `stage names of ${name} repeat`).toBe(stages.length);
    expect(stages.length, `stages of ${name}`).toBeLessThanOrEqual(MAX_SECRET_STAGES);
    const current = entries.filter((entry) => entry.VersionStages.includes(CURRENT_STAGE));
    expect(current.map((entry) => entry.VersionId), `${CURRENT_STAGE} of ${name}`).toEqual([described.CurrentVersionId]);
    expect(current[0]?.VersionStages, `${PREVIOUS_STAGE} of ${name} on the current version`).not.toContain(PREVIOUS_STAGE);
    const unstaged = entries.filter((entry) => entry.VersionStages.length === 0);
    expect(unstaged.length, `versions of ${name} without a stage`).toBeLessThanOrEqual(MAX_UNSTAGED_SECRET_VERSIONS);

    const order = new Map(lane.attempted.get(name)!.map((versionId, index) => [versionId, index]));
    for (const entry of entries) {
      expect(order.has(entry.VersionId), `${name} has version ${entry.VersionId} that no put asked for`).toBe(true);
      const value = await t.call('GetSecretValue', { SecretName: name, VersionId: entry.VersionId });
      const expected = crashValue(name, entry.VersionId);
      // Compared as a boolean: a failure names the version, not its value.
      expect(value.SecretData === expected.SecretData && value.SecretDataType === expected.SecretDataType, `version ${entry.VersionId} of ${name} holds another value`).toBe(true);
      expect(value.VersionStages).toEqual(entry.VersionStages);
      read += 1;
    }
    // A missing acknowledged version is acceptable only as pruning left it: a version never regains
    // a stage here, so the newest versions without a stage are all newer than it.
    const stored = new Set(entries.map((entry) => entry.VersionId));
    for (const versionId of lane.attempted.get(name)!) {
      if (stored.has(versionId) || !lane.acknowledged.has(`${name} ${versionId}`)) continue;
      const newerUnstaged = unstaged.filter((entry) => order.get(entry.VersionId)! > order.get(versionId)!).length;
      expect(newerUnstaged, `acknowledged version ${versionId} of ${name} is gone, not pruned`).toBe(MAX_UNSTAGED_SECRET_VERSIONS);
      pruned += 1;
    }
  }
  return { read, pruned };
}

/** Every SUCCESS record of the secret's value and CMK operations, oldest first. */
async function auditOf(t: TestCore, arn: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let page = 1; ; page += 1) {
    const { Events, TotalCount } = await t.call('ListAuditEvents', {
      PageNumber: page,
      PageSize: 100,
      Filters: [
        { Key: 'ResourceId', Values: [arn] },
        { Key: 'Outcome', Values: ['SUCCESS'] },
        { Key: 'Operation', Values: ['CreateSecret', 'PutSecretValue', 'UpdateSecret'] },
      ],
    });
    events.push(...Events);
    if (page * 100 >= TotalCount) return events.sort((a, b) => a.Sequence - b.Sequence);
  }
}

beforeAll(async () => {
  for (const lane of lanes) {
    const t = await createTestCore(lane.dataDir);
    try {
      await t.call('InitializeDefaultKeyStore', { KeyStorePassword: PASSWORD });
      const keys = await Promise.all([0, 1].map(() => t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' })));
      lane.keys = [keys[0]!.KeyMetadata.KeyId, keys[1]!.KeyMetadata.KeyId];
      for (const name of CRASH_SECRET_NAMES) {
        await t.call('CreateSecret', { SecretName: name, VersionId: INITIAL_VERSION_ID, EncryptionKeyId: lane.keys[0], ...crashValue(name, INITIAL_VERSION_ID) });
        lane.possibleCmks.set(name, new Set([lane.keys[0]]));
      }
    } finally {
      await t.close();
    }
  }
}, 120_000);

afterAll(() => {
  for (const lane of lanes) removeDir(lane.dataDir);
});

describe(`R3 crash safety of Secrets Manager (${KILLS} SIGKILLs, seed ${SEED})`, () => {
  it('after every kill during PutSecretValue and UpdateSecret: clean open, valid audit chain, every version whole, stages and CMK consistent', async () => {
    const delays = Array.from({ length: KILLS }, () => 30 + random.int(900));
    killDelays.push(...delays);
    // Settled, not Promise.all: a lane that fails must not leave the other killing drivers after afterAll.
    const settled = await Promise.allSettled(
      lanes.map(async (lane, laneIndex) => {
        for (let kill = laneIndex; kill < KILLS; kill += LANES) {
          const retrying = lane.retry;
          const run = await runAndKill(lane, kill + 1, delays[kill]!);
          expect(run.signal, `run ${kill + 1} ended on its own: ${run.stderr}`).toBe('SIGKILL');
          stats.puts += run.puts;
          stats.updates += run.updates;
          stats.interrupted[run.interrupted] = (stats.interrupted[run.interrupted] ?? 0) + 1;
          if (retrying) stats.retried += 1;

          const t = await createTestCore(lane.dataDir); // opens the registry: migrations, WAL recovery
          try {
            expect(await t.call('VerifyAuditLog', {}), `after kill ${kill + 1}`).toMatchObject({ Valid: true });
            await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: PASSWORD });
            const checked = await checkSecrets(t, lane);
            stats.versionsRead += checked.read;
            if (lane.retry) {
              const cut = parsePut(lane.retry);
              const versions = await t.call('ListSecretVersionIds', { SecretName: cut.secretName, IncludeDeprecated: true, PageSize: 100 });
              if (versions.VersionIds.some((entry) => entry.VersionId === cut.versionId)) stats.cutCommitted += 1;
            }
          } finally {
            await t.close();
          }
        }
      }),
    );
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    // The seeded delays must cut both operations, or half of the suite proves nothing.
    expect(stats.interrupted.PutSecretValue ?? 0, JSON.stringify(stats.interrupted)).toBeGreaterThan(0);
    expect(stats.interrupted.UpdateSecret ?? 0, JSON.stringify(stats.interrupted)).toBeGreaterThan(0);
    expect(stats.puts).toBeGreaterThan(KILLS);
  }, 600_000);

  it('at the end: every stored version has its audit record, none was stored twice, each secret is under the CMK its last record names', async () => {
    for (const lane of lanes) {
      const t = await createTestCore(lane.dataDir);
      try {
        await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: PASSWORD });
        const checked = await checkSecrets(t, lane);
        stats.versionsRead += checked.read;
        stats.pruned += checked.pruned;
        for (const name of CRASH_SECRET_NAMES) {
          const described = await t.call('DescribeSecret', { SecretName: name });
          const events = await auditOf(t, described.Arn);
          const stored = events.filter((event) => event.Operation !== 'UpdateSecret' && event.Details.Unchanged !== true).map((event) => String(event.Details.VersionId));
          expect(new Set(stored).size, `a version of ${name} was stored twice`).toBe(stored.length);
          for (const entry of described.VersionIdsToStages) expect(stored, `version ${entry.VersionId} of ${name} has no audit record`).toContain(entry.VersionId);
          for (const versionId of lane.attempted.get(name)!) {
            if (lane.acknowledged.has(`${name} ${versionId}`)) expect(stored, `acknowledged version ${versionId} of ${name} has no audit record`).toContain(versionId);
          }
          const lastCmk = events.filter((event) => event.Operation !== 'PutSecretValue').at(-1)?.Details.EncryptionKeyId;
          expect(described.EncryptionKeyId, `CMK of ${name}`).toBe(lastCmk);
        }
        const verified = await t.call('VerifyAuditLog', {});
        expect(verified).toMatchObject({ Valid: true, AnchorChecked: true });
        stats.auditRecords += verified.CheckedRecords;
      } finally {
        await t.close();
      }
    }
    const interrupted = Object.entries(stats.interrupted).map(([op, n]) => `${op} ${n}`).join(', ');
    writeFigures({
      suite: 'R3-secrets',
      title: 'Crash safety of Secrets Manager',
      seed: SEED,
      lines: [
        `${KILLS} SIGKILLs of a core putting values of ${CRASH_SECRET_NAMES.length} secrets (custom stages, ExpectedCurrentVersionId) and moving them between two CMKs with UpdateSecret (seed ${SEED}, ${Math.min(...killDelays)}-${Math.max(...killDelays)} ms after connect, ${LANES} data directories; in flight at the kill: ${interrupted}): registry opened and the audit chain verified after every one (${thousands(stats.auditRecords)} records at the end)`,
        `${thousands(stats.puts)} acknowledged PutSecretValue and ${thousands(stats.updates)} acknowledged UpdateSecret (each re-wrapping every version's data key); after every kill every stored version opened and held exactly its value (${thousands(stats.versionsRead)} reads), exactly one ACSCurrent per secret, ACSPrevious never with it, stage names unique, each secret under the CMK of its last UpdateSecret`,
        `${stats.retried} puts cut by a kill retried with the same VersionId and data, answered as fresh puts (${stats.cutCommitted} had committed before the kill); acknowledged versions missing only as the newest-${MAX_UNSTAGED_SECRET_VERSIONS} rule prunes (${thousands(stats.pruned)} at the end); every stored version has its audit record, none stored twice`,
      ],
      findings: [],
    });
  }, 300_000);
});
