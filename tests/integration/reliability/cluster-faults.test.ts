/**
 * R2 at cluster level: a cluster key store on two network HSMs (real p11-kit servers over their own
 * SoftHSM2 token dirs). Three lanes run GenerateMac/VerifyMac and CreateKey (HMAC and AES: network
 * members carry secret keys only) while one server, chosen at random, is SIGKILLed at a seeded
 * random point, 20 times. Every call must complete (on the other member) or fail with a typed
 * error; the cluster must show the loss (DEGRADED, or the store FAILED/NETWORK_ERRORS); after the
 * server is restarted, SyncCluster with the password must make the cluster ACTIVE with every
 * registered version on both members (replacing copies a kill left damaged), the same material on
 * each (check values and HMACs computed from outside Keyward), and every acknowledged key usable. Bounded: the fault loop stops after its time budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { objectIdOfVersion } from '../../../electron/main/services/keys/key-identifiers';
import { bringUpKeyStore, createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, type ClusterSetUp } from '../../support/cluster-flow';
import { P11KIT_CLIENT_PATH, startP11KitServer, type P11KitServer } from '../../support/p11kit-server';
import { createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { writeFigures } from './support/figures';
import { Random, suiteSeed } from './support/random';

const SEED = suiteSeed(0x5eed_0022);
const FAULTS = Number(process.env.KEYWARD_CLUSTER_FAULTS ?? 20);
/** A guard against a hang, not a target: 20 kill-and-recover rounds take 60-80 s on an idle 2-core machine. */
const BUDGET_MS = 200_000;
const MESSAGE = Buffer.from('settlement batch 7').toString('base64');

interface AckedKey {
  keyId: string;
  versionId: string;
  spec: 'HMAC_SHA256' | 'Aliyun_AES_256';
}

describe(`R2 cluster faults: a member's p11-kit server killed mid-operation (seed ${SEED})`, () => {
  let test: TestCore;
  let servers: [P11KitServer, P11KitServer];
  let setUp: ClusterSetUp;
  let keyStoreId = '';
  const acked: AckedKey[] = [];
  const macs = new Map<string, string>();

  beforeAll(async () => {
    servers = (await Promise.all([startP11KitServer({ label: 'fault-net-a', soPin: SO_PIN }), startP11KitServer({ label: 'fault-net-b', soPin: SO_PIN })])) as [
      P11KitServer,
      P11KitServer,
    ];
    test = await createTestCore();
    setUp = await createClusterWithMembers(
      test,
      'fault-cluster',
      servers.map((server, index) => ({ moduleName: `p11-kit ${server.label}`, path: P11KIT_CLIENT_PATH, environment: server.clientEnvironment, zone: `z${index}`, tokenSerial: server.serial })),
    );
    ({ keyStoreId } = await bringUpKeyStore(test, setUp, 'fault-store'));
    for (let i = 0; i < 2; i += 1) {
      const { KeyMetadata } = await test.call('CreateKey', { KeySpec: 'HMAC_SHA256', KeyUsage: 'GENERATE/VERIFY_MAC', KeyStoreId: keyStoreId });
      acked.push({ keyId: KeyMetadata.KeyId, versionId: KeyMetadata.PrimaryKeyVersion ?? '', spec: 'HMAC_SHA256' });
      macs.set(KeyMetadata.KeyId, (await test.call('GenerateMac', { KeyId: KeyMetadata.KeyId, Message: MESSAGE })).Mac);
    }
  }, 120_000);

  afterAll(async () => {
    await test.close();
    await Promise.all(servers.map((server) => server.cleanup()));
    removeDir(test.dataDir);
  });

  it(`every call completes or fails typed, the loss shows, and SyncCluster makes both members whole, ${FAULTS} times`, async () => {
    const random = new Random(SEED);
    const started = Date.now();
    const codes: Record<string, number> = {};
    const untyped: string[] = [];
    const observed: Record<string, number> = {};
    let completed = 0;
    let completedAfterKill = 0;
    let faults = 0;
    const syncMs: number[] = [];
    let repaired = 0;

    const macKeys = (): AckedKey[] => acked.filter((key) => key.spec === 'HMAC_SHA256');
    const operation = async (killed: () => boolean): Promise<void> => {
      const pick = random.int(10);
      try {
        if (pick < 6) {
          const key = random.pick(macKeys());
          const { Mac } = await test.call('GenerateMac', { KeyId: key.keyId, Message: MESSAGE });
          // A key made during the faults gets its reference MAC on first use; members are compared at the end.
          if (!macs.has(key.keyId)) macs.set(key.keyId, Mac);
          expect(Mac, `MAC of ${key.keyId}`).toBe(macs.get(key.keyId));
          expect((await test.call('VerifyMac', { KeyId: key.keyId, Message: MESSAGE, Mac })).MacValid).toBe(true);
        } else {
          const spec = pick < 9 ? 'HMAC_SHA256' : 'Aliyun_AES_256';
          const { KeyMetadata } = await test.call('CreateKey', {
            KeySpec: spec,
            KeyStoreId: keyStoreId,
            ...(spec === 'HMAC_SHA256' ? { KeyUsage: 'GENERATE/VERIFY_MAC' as const } : {}),
          });
          acked.push({ keyId: KeyMetadata.KeyId, versionId: KeyMetadata.PrimaryKeyVersion ?? '', spec });
        }
        completed += 1;
        if (killed()) completedAfterKill += 1;
      } catch (error) {
        // test.call wraps the error body as "<op> failed: <Code>: <Message>".
        const code = /failed: ([A-Za-z.]+):/.exec(String(error))?.[1] ?? '';
        if ((ERROR_CODES as readonly string[]).includes(code) && code !== 'InternalFailure') codes[code] = (codes[code] ?? 0) + 1;
        else untyped.push(String(error).slice(0, 300));
      }
    };

    for (let fault = 0; fault < FAULTS && Date.now() - started < BUDGET_MS; fault += 1) {
      const victim = servers[random.int(2)]!;
      let killedAt = 0;
      let stop = false;
      const lane = async (): Promise<void> => {
        while (!stop) await operation(() => killedAt > 0);
      };
      const lanes = Array.from({ length: 3 }, lane);
      await new Promise((resolve) => setTimeout(resolve, 20 + random.int(250)));
      await victim.kill();
      killedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop = true;
      await Promise.all(lanes);
      faults += 1;

      // The loss shows: the cluster is DEGRADED, or (both members gone from the store) it FAILED.
      const [store] = (await test.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
      const { Cluster } = await test.call('DescribeCluster', { ClusterId: setUp.clusterId });
      const seen = store?.ConnectionState === 'FAILED' ? `FAILED/${store.ConnectionErrorCode ?? ''}` : Cluster.State;
      observed[seen] = (observed[seen] ?? 0) + 1;
      expect(['DEGRADED', 'FAILED/NETWORK_ERRORS'], `fault ${fault}`).toContain(seen);

      const syncStarted = Date.now();
      await victim.start();
      if (store?.ConnectionState === 'FAILED') await test.call('ConnectKeyStore', { KeyStoreId: keyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
      const synced = await test.call('SyncCluster', { ClusterId: setUp.clusterId, KeyStorePassword: KMSUSER_PASSWORD });
      expect(synced.State, `fault ${fault}: ${JSON.stringify(synced.Members)}`).toBe('ACTIVE');
      expect(synced.Members.map((member) => [member.Connected, member.Failed])).toEqual([
        [true, []],
        [true, []],
      ]);
      // A kill inside C_UnwrapKey can leave the object with no material: SyncCluster's check values catch it.
      repaired += synced.Members.reduce((sum, member) => sum + member.Repaired, 0);
      syncMs.push(Date.now() - syncStarted);
    }
    expect(faults).toBeGreaterThanOrEqual(Math.min(FAULTS, 20));
    expect(untyped).toEqual([]);
    expect(completedAfterKill, 'calls served by the surviving member').toBeGreaterThan(0);

    // Nothing half-written: every registered version is on both members, no orphan is left unreported.
    const reconciled = await test.call('ReconcileKeyStore', { KeyStoreId: keyStoreId });
    expect(reconciled.Summary).toMatchObject({ TokensChecked: 2, TokensNotChecked: 0, IncompleteVersions: 0, LostVersions: 0 });
    const removed = await test.call('ReconcileKeyStore', { KeyStoreId: keyStoreId, Action: 'REMOVE_ORPHAN_OBJECTS' });
    expect(removed.Summary.RemovedObjects).toBe(reconciled.Summary.OrphanObjects);

    // Same material on both members, checked from outside Keyward: the MAC of every acknowledged
    // HMAC key on each token, and the check value of every acknowledged key (AES included).
    let compared = 0;
    const checkValues = new Map<string, string>();
    for (const server of servers) {
      const client = new HsmModuleClient(server.clientSpec, { launcher: createNodeWorkerLauncher() });
      try {
        await client.login({ serial: server.serial, userPin: KMSUSER_PASSWORD });
        for (const key of acked) {
          const objectId = objectIdOfVersion(key.versionId);
          const checkValue = (await client.keyCheckValue({ serial: server.serial, objectId })).toString('hex');
          expect(checkValue, `check value of ${key.keyId} on ${server.label}`).toBe(checkValues.get(key.keyId) ?? checkValue);
          checkValues.set(key.keyId, checkValue);
          if (key.spec !== 'HMAC_SHA256') continue;
          const mac = (await client.sign({ serial: server.serial, objectId, mechanism: 'SHA256_HMAC', data: Buffer.from(MESSAGE, 'base64') })).toString('base64');
          if (!macs.has(key.keyId)) macs.set(key.keyId, mac);
          expect(mac, `MAC of ${key.keyId} on ${server.label}`).toBe(macs.get(key.keyId));
          compared += 1;
        }
      } finally {
        await client.close();
      }
    }
    for (const key of acked) {
      if (key.spec === 'HMAC_SHA256') expect((await test.call('GenerateMac', { KeyId: key.keyId, Message: MESSAGE })).Mac).toBe(macs.get(key.keyId));
      else expect((await test.call('DescribeKey', { KeyId: key.keyId })).KeyMetadata.KeyState).toBe('Enabled');
    }
    expect((await test.call('VerifyAuditLog', {})).Valid).toBe(true);

    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    writeFigures({
      suite: 'R2-cluster',
      title: 'HSM faults in a cluster',
      seed: SEED,
      lines: [
        `${faults} SIGKILLs of one of two p11-kit network HSMs under 3 lanes of GenerateMac/VerifyMac and CreateKey (HMAC, AES) on a cluster key store (seed ${SEED}, ${seconds} s): ${completed} calls completed (${completedAfterKill} after the kill, on the surviving member), failed calls all typed (${Object.entries(codes).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}), 0 untyped`,
        `the loss showed every time (${Object.entries(observed).map(([k, v]) => `${k} ${v}`).join(', ')}); restart + SyncCluster took ${Math.min(...syncMs)}-${Math.max(...syncMs)} ms and left the cluster ACTIVE with every version on both members`,
        `SyncCluster replaced ${repaired} damaged member copies (objects a kill inside C_UnwrapKey left without material), found by their check values`,
        `afterwards: ${acked.length} acknowledged keys usable, the same check value for each on both members and ${compared} equal HMAC MACs, computed on each member from outside Keyward; ReconcileKeyStore found 0 incomplete or lost versions and ${reconciled.Summary.OrphanObjects} orphan objects (generations cut by a kill), all removed`,
      ],
      findings: [],
    });
  }, 300_000);
});
