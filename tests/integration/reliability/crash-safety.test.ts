/**
 * R3: crash safety. A process running the real core creates keys and rotates them (CreateKeyVersion)
 * in bulk and is SIGKILLed at 50 seeded random points. After every kill the registry must open
 * cleanly and its audit chain verify. At the end: every key and every version whose creation was
 * acknowledged exists with its HSM material; ReconcileKeyStore reports exactly the orphan objects
 * the kills left (cross-checked against the token's object files), REMOVE_ORPHAN_OBJECTS leaves
 * none, and no registered version lacks its material.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, removeDir } from '../../support/test-core';
import { thousands, writeFigures } from './support/figures';
import { runDriverAndKill } from './support/kill-driver';
import { Random, suiteSeed } from './support/random';

const SEED = suiteSeed(0x5eed_0003);
const KILLS = Number(process.env.KEYWARD_CRASH_POINTS ?? 50);
const PASSWORD = 'Crash7Passw0rdQ';
const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'bulk-driver.ts');

/** Two data directories killed in parallel: one per core of the machine. */
const LANES = 2;

interface Lane {
  dataDir: string;
  acknowledged: Map<string, string>;
  /** Acknowledged CreateKeyVersion results: version id -> key id. */
  rotations: Map<string, string>;
}

const random = new Random(SEED);
const lanes: Lane[] = Array.from({ length: LANES }, () => ({ dataDir: mkdtempSync(path.join(tmpdir(), 'keyward-crash-')), acknowledged: new Map(), rotations: new Map() }));
const killDelays: number[] = [];
const interrupted: Record<string, number> = {};

/** Runs the driver, kills it `delayMs` after it is connected, and returns the keys it acknowledged. */
interface RunOutcome {
  acks: Array<[string, string]>;
  rotations: Array<[string, string]>;
  /** The operation that had begun and not answered when the kill came (null: between operations). */
  interrupted: string | null;
  signal: string | null;
  stderr: string;
}

/** Runs the driver, kills it `delayMs` after it is connected, and returns what it acknowledged. */
async function runAndKill(dataDir: string, delayMs: number): Promise<RunOutcome> {
  const { lines, signal, stderr } = await runDriverAndKill(DRIVER, [dataDir, PASSWORD], delayMs);
  const fields = (prefix: string): Array<[string, string]> =>
    lines.filter((line) => line.startsWith(prefix)).map((line) => line.split(' ').slice(1, 3) as [string, string]);
  const last = lines.filter((line) => /^(BEGIN|ACK|ROT) /.test(line)).at(-1) ?? '';
  return { acks: fields('ACK '), rotations: fields('ROT '), interrupted: last.startsWith('BEGIN ') ? last.slice(6) : null, signal, stderr };
}

function tokenObjectFiles(dataDir: string): number {
  const tokens = path.join(dataDir, 'softhsm', 'tokens');
  return readdirSync(tokens)
    .flatMap((token) => readdirSync(path.join(tokens, token)))
    .filter((name) => name.endsWith('.object') && name !== 'token.object').length;
}

beforeAll(async () => {
  for (const lane of lanes) {
    const t = await createTestCore(lane.dataDir);
    await t.call('InitializeDefaultKeyStore', { KeyStorePassword: PASSWORD });
    await t.close();
  }
});

afterAll(() => {
  for (const lane of lanes) removeDir(lane.dataDir);
});

const acknowledgedCount = (): number => lanes.reduce((sum, lane) => sum + lane.acknowledged.size, 0);

describe(`R3 crash safety (${KILLS} SIGKILLs, seed ${SEED})`, () => {
  it('opens cleanly with a valid audit chain after every kill during bulk key creation and rotation', async () => {
    const delays = Array.from({ length: KILLS }, () => 30 + random.int(900));
    killDelays.push(...delays);
    // Settled, not Promise.all: a lane that fails must not leave the other killing drivers after afterAll.
    const settled = await Promise.allSettled(
      lanes.map(async (lane, laneIndex) => {
        for (let kill = laneIndex; kill < KILLS; kill += LANES) {
          const run = await runAndKill(lane.dataDir, delays[kill]!);
          expect(run.signal, `run ${kill} ended on its own: ${run.stderr}`).toBe('SIGKILL');
          for (const [keyId, spec] of run.acks) lane.acknowledged.set(keyId, spec);
          for (const [keyId, versionId] of run.rotations) lane.rotations.set(versionId, keyId);
          const during = run.interrupted ?? 'between operations';
          interrupted[during] = (interrupted[during] ?? 0) + 1;

          const t = await createTestCore(lane.dataDir); // opens the registry: migrations, WAL recovery
          try {
            const verified = await t.call('VerifyAuditLog', {});
            expect(verified, `after kill ${kill}`).toMatchObject({ Valid: true });
            for (const [keyId] of run.acks) await t.call('DescribeKey', { KeyId: keyId });
          } finally {
            await t.close();
          }
        }
      }),
    );
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    expect(acknowledgedCount()).toBeGreaterThan(KILLS);
    // The seeded delays must hit both operations, or the rotation half of the suite proves nothing.
    expect(interrupted.CreateKey ?? 0, JSON.stringify(interrupted)).toBeGreaterThan(0);
    expect(interrupted.CreateKeyVersion ?? 0, JSON.stringify(interrupted)).toBeGreaterThan(0);
  }, 600_000);

  it('lost nothing acknowledged; ReconcileKeyStore reports the orphans the kills left and removes them', async () => {
    let orphans = 0;
    let removed = 0;
    let auditRecords = 0;
    let versions = 0;
    for (const lane of lanes) {
      const t = await createTestCore(lane.dataDir);
      try {
        await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: PASSWORD });
        for (const [keyId, spec] of lane.acknowledged) {
          if (spec === 'EC_P256') await t.call('GetPublicKey', { KeyId: keyId });
          else await t.call('Encrypt', { KeyId: keyId, Plaintext: 'b2s=' });
        }
        for (const [versionId, keyId] of lane.rotations) {
          const { KeyVersions } = await t.call('ListKeyVersions', { KeyId: keyId, PageSize: 100 });
          expect(KeyVersions.map((version) => version.KeyVersionId), `acknowledged version ${versionId}`).toContain(versionId);
        }

        // The audit anchor follows new records a second later (replacing its data object): bring it up
        // to date first, so no anchor write falls between a listing and the file count below.
        await t.call('GetAuditAnchor', {});
        const report = await t.call('ReconcileKeyStore', { KeyStoreId: 'kst-default' });
        const [token] = report.Tokens;
        // Independent count: every object file of the token is a registered object, a reported orphan
        // or Keyward's own infrastructure (the audit anchor's key and data object).
        expect(token?.InfrastructureObjects).toBe(2);
        expect((token?.RegisteredObjects ?? -1) + (token?.OrphanObjects ?? 0) + (token?.InfrastructureObjects ?? 0)).toBe(tokenObjectFiles(lane.dataDir));
        expect(token?.ForeignObjects).toBe(0);
        expect(report.MissingMaterial, 'registered versions without HSM material').toEqual([]);
        expect(report.OrphanObjects.every((orphan) => orphan.Kind === 'KEY_VERSION')).toBe(true);
        orphans += report.Summary.OrphanObjects;
        versions += report.Summary.KeyVersionsChecked;

        const removal = await t.call('ReconcileKeyStore', { KeyStoreId: 'kst-default', Action: 'REMOVE_ORPHAN_OBJECTS' });
        expect(removal.Summary.RemovedObjects).toBe(report.Summary.OrphanObjects);
        removed += removal.Summary.RemovedObjects;
        await t.call('GetAuditAnchor', {});
        const after = await t.call('ReconcileKeyStore', { KeyStoreId: 'kst-default' });
        expect(after.Summary).toMatchObject({ OrphanObjects: 0, LostVersions: 0, IncompleteVersions: 0 });
        expect(after.Tokens[0]?.Objects).toBe(tokenObjectFiles(lane.dataDir));
        // Removing orphans touched nothing registered.
        for (const [keyId, spec] of lane.acknowledged) if (spec !== 'EC_P256') await t.call('Encrypt', { KeyId: keyId, Plaintext: 'b2s=' });

        const verified = await t.call('VerifyAuditLog', {});
        expect(verified.Valid).toBe(true);
        auditRecords += verified.CheckedRecords;
      } finally {
        await t.close();
      }
    }
    // A kill between C_GenerateKey and the commit is likely at 50 points: zero orphans would mean the window was never hit.
    expect(orphans).toBeGreaterThan(0);
    const rotations = lanes.reduce((sum, lane) => sum + lane.rotations.size, 0);
    writeFigures({
      suite: 'R3',
      title: 'Crash safety',
      seed: SEED,
      lines: [
        `${KILLS} SIGKILLs of a core creating and rotating keys in bulk (seed ${SEED}, ${Math.min(...killDelays)}-${Math.max(...killDelays)} ms after connect, ${LANES} data directories; in flight at the kill: ${Object.entries(interrupted).map(([op, n]) => `${op} ${n}`).join(', ')}): registry opened cleanly and the audit chain verified after every one (${thousands(auditRecords)} records at the end)`,
        `${thousands(acknowledgedCount())} acknowledged keys and ${thousands(rotations)} acknowledged rotations, all present with their HSM material (Encrypt / GetPublicKey / ListKeyVersions); ${thousands(versions)} registered versions, none without material`,
        `ReconcileKeyStore reported ${orphans} orphan HSM objects (kill between generation and commit; matches the token's object files exactly) and REMOVE_ORPHAN_OBJECTS removed ${removed}, leaving 0`,
      ],
      findings: [],
    });
  }, 300_000);
});
