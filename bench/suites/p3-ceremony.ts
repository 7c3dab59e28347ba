/**
 * P3: bulk ceremony, 1,000 AES-256 keys created and replicated to a 2-HSM cluster (two local
 * SoftHSM2 tokens), vs raw pkcs11js in this process doing what replication needs at minimum:
 * C_GenerateKey on token A, C_WrapKey (AES key wrap with padding under a shared AES-256 key) and
 * C_UnwrapKey on token B, one key after the other on one session per token. Keyward's path is
 * CreateKey through the dispatcher: registry row + durable audit record per key, generation and
 * replication in the module's worker process (domain key, CKA_WRAP_WITH_TRUSTED). Rounds alternate.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { PKCS11 } from 'pkcs11js';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../../tests/support/softhsm';
import { bringUpKeyStore, createClusterWithMembers, SO_PIN } from '../../tests/support/cluster-flow';
import { startBenchCore } from '../lib/bench-core';
import { type Benchmark, type BenchResult, round } from '../lib/result';
import { alternate } from '../lib/stats';

type Pkcs11Js = typeof import('pkcs11js');
const GOAL = 0.7;
/** One CreateKey at a time, like the one-thread baseline (with a few in flight Keyward was faster than it). */
const WINDOW = 1;

interface RawPair {
  p11: PKCS11;
  /** Generates, wraps and unwraps `count` keys; returns keys/s. */
  run(count: number): number;
  close(): void;
}

/** Two tokens of a throw-away SoftHSM2 installation, logged in, with the same AES-256 wrapping key on both. */
function openRawPair(fixture: SoftHsmFixture, serials: [string, string]): RawPair {
  const P = createRequire(import.meta.url)('pkcs11js') as Pkcs11Js;
  process.env.SOFTHSM2_CONF = fixture.confPath; // read by C_Initialize
  const p11 = new P.PKCS11();
  p11.load(SOFTHSM_MODULE_PATH);
  p11.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
  const sessions = serials.map((serial) => {
    const slot = p11.C_GetSlotList(true).find((candidate) => p11.C_GetTokenInfo(candidate).serialNumber.trim() === serial);
    if (!slot) throw new Error(`no token ${serial}`);
    const session = p11.C_OpenSession(slot, P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
    p11.C_Login(session, P.CKU_USER, `${SO_PIN}-user`);
    return session;
  }) as [Buffer, Buffer];
  const [a, b] = sessions;
  const wrapKeyTemplate = [
    { type: P.CKA_CLASS, value: P.CKO_SECRET_KEY },
    { type: P.CKA_KEY_TYPE, value: P.CKK_AES },
    { type: P.CKA_TOKEN, value: false },
    { type: P.CKA_WRAP, value: true },
    { type: P.CKA_UNWRAP, value: true },
  ];
  const value = randomBytes(32);
  const wrapA = p11.C_CreateObject(a, [...wrapKeyTemplate, { type: P.CKA_VALUE, value }]);
  const wrapB = p11.C_CreateObject(b, [...wrapKeyTemplate, { type: P.CKA_VALUE, value }]);
  const mechanism = { mechanism: P.CKM_AES_KEY_WRAP_PAD };
  let serial = 0;
  const keyTemplate = (id: Buffer) => [
    { type: P.CKA_CLASS, value: P.CKO_SECRET_KEY },
    { type: P.CKA_KEY_TYPE, value: P.CKK_AES },
    { type: P.CKA_TOKEN, value: true },
    { type: P.CKA_PRIVATE, value: true },
    { type: P.CKA_SENSITIVE, value: true },
    { type: P.CKA_EXTRACTABLE, value: true },
    { type: P.CKA_ENCRYPT, value: true },
    { type: P.CKA_DECRYPT, value: true },
    { type: P.CKA_ID, value: id },
    { type: P.CKA_LABEL, value: `raw-${id.toString('hex').slice(0, 8)}` },
  ];
  return {
    p11,
    run(count) {
      const started = performance.now();
      for (let i = 0; i < count; i += 1) {
        const id = Buffer.alloc(16);
        id.writeUInt32BE(++serial, 12);
        const key = p11.C_GenerateKey(a, { mechanism: P.CKM_AES_KEY_GEN }, [...keyTemplate(id), { type: P.CKA_VALUE_LEN, value: 32 }]);
        const wrapped = p11.C_WrapKey(a, mechanism, wrapA, key, Buffer.alloc(64));
        p11.C_UnwrapKey(b, mechanism, wrapB, wrapped, keyTemplate(id));
      }
      return (count * 1000) / (performance.now() - started);
    },
    close() {
      p11.C_Finalize();
      p11.close();
    },
  };
}

export const p3Ceremony: Benchmark = {
  id: 'P3',
  title: 'bulk ceremony: 1,000 AES-256 keys replicated to a 2-HSM cluster',
  async run(options) {
    const total = options.quick ? 100 : 1000;
    const rounds = 2;
    const perRound = total / rounds;
    const core = await startBenchCore();
    const clusterTokens = await createSoftHsmFixture('keyward-bench-cluster-');
    const rawTokens = await createSoftHsmFixture('keyward-bench-raw-');
    let raw: RawPair | null = null;
    try {
      const environment = { SOFTHSM2_CONF: clusterTokens.confPath };
      const first = initializeTokenWithUtil(clusterTokens, 'bench-vendor', SO_PIN);
      const setUp = await createClusterWithMembers(core, 'bench-cluster', [
        { moduleName: 'SoftHSM2 bench', path: SOFTHSM_MODULE_PATH, environment, zone: 'a', tokenSerial: first },
        { moduleName: 'SoftHSM2 bench', path: SOFTHSM_MODULE_PATH, environment, zone: 'b' },
      ]);
      const { keyStoreId } = await bringUpKeyStore(core, setUp, 'bench-store');
      raw = openRawPair(rawTokens, [initializeTokenWithUtil(rawTokens, 'raw-a', SO_PIN), initializeTokenWithUtil(rawTokens, 'raw-b', SO_PIN)]);
      const rawPair = raw;

      const keyward = async (count: number): Promise<number> => {
        let next = 0;
        const started = performance.now();
        const lane = async (): Promise<void> => {
          while (next < count) {
            next += 1;
            await core.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId });
          }
        };
        await Promise.all(Array.from({ length: WINDOW }, lane));
        return (count * 1000) / (performance.now() - started);
      };
      // Warm-up: worker sessions, handle caches, JIT (not counted in the 1,000).
      await keyward(10);
      rawPair.run(10);
      const medians = await alternate(rounds, () => keyward(perRound), () => rawPair.run(perRound));
      const synced = await core.call('SyncCluster', { ClusterId: setUp.clusterId });
      const replicatedAfterwards = synced.Members.reduce((sum, member) => sum + member.Replicated + member.Failed.length, 0);
      if (replicatedAfterwards > 0) throw new Error(`${replicatedAfterwards} versions were missing on a member after the ceremony`);
      const ratio = medians.keyward / medians.baseline;
      options.log(
        `keyward ${medians.keyward.toFixed(1)} keys/s (${WINDOW} in flight), raw ${medians.baseline.toFixed(1)} keys/s, ratio ${ratio.toFixed(3)}; samples ${JSON.stringify(medians.samples)}`,
      );
      const result: BenchResult = {
        name: `P3 ${total.toLocaleString('en-US')} AES-256 keys created + replicated to 2 HSMs`,
        keyward: round(medians.keyward, 1),
        baseline: round(medians.baseline, 1),
        unit: 'keys/s',
        ratio: round(ratio),
        goal: `>= ${GOAL} of raw generate+wrap+unwrap`,
        met: ratio >= GOAL,
        note: `CreateKey one at a time; SyncCluster afterwards found every key on both members`,
      };
      return [result];
    } finally {
      raw?.close();
      await core.close();
      await clusterTokens.cleanup();
      await rawTokens.cleanup();
    }
  },
};
