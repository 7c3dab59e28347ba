/**
 * P3: bulk ceremony, 1,000 AES-256 keys created and replicated to a 2-HSM cluster (two local
 * SoftHSM2 tokens), vs raw pkcs11js in this process doing what replication needs at minimum:
 * C_GenerateKey on token A, C_WrapKey (AES key wrap with padding under a shared AES-256 key) and
 * C_UnwrapKey on token B, one key after the other on one session per token. Keyward's path is
 * CreateKey through the dispatcher: registry row + durable audit record per key, generation and
 * replication in the module's worker process (domain key, CKA_WRAP_WITH_TRUSTED), one CreateKey at
 * a time (like the one-thread baseline) and with 4 in flight. Rounds alternate; 500 keys per row.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { PKCS11 } from 'pkcs11js';
import { createSoftHsmFixture, initializeTokenWithUtil, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../../tests/support/softhsm';
import { bringUpKeyStore, createClusterWithMembers, SO_PIN } from '../../tests/support/cluster-flow';
import { startBenchCore } from '../lib/bench-core';
import { type Benchmark, type BenchResult, round } from '../lib/result';
import { median } from '../lib/stats';

type Pkcs11Js = typeof import('pkcs11js');
const GOAL = 0.7;
/** A ceremony script runs CreateKey one at a time or keeps a few in flight; both are measured. */
const WINDOWS = [1, 4] as const;

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

      const keyward = async (count: number, window: number): Promise<number> => {
        let next = 0;
        const started = performance.now();
        const lane = async (): Promise<void> => {
          while (next < count) {
            next += 1;
            await core.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyStoreId: keyStoreId });
          }
        };
        await Promise.all(Array.from({ length: window }, lane));
        return (count * 1000) / (performance.now() - started);
      };
      // Warm-up: worker sessions, handle caches, JIT (not counted).
      await keyward(10, 1);
      rawPair.run(10);
      // Each round: the raw baseline, then Keyward once per window; half the keys per window in all.
      const perRound = total / WINDOWS.length / rounds;
      const samples = { raw: [] as number[], ...Object.fromEntries(WINDOWS.map((window) => [window, [] as number[]])) } as Record<string, number[]>;
      // SoftHSM2 2.6 can fail concurrent token-object creation with CKR_GENERAL_ERROR
      // (softhsm/SoftHSMv2#573): a window that hits it is reported as failed, the others still count.
      const failures = new Map<number, string>();
      for (let r = 0; r < rounds; r += 1) {
        samples.raw!.push(rawPair.run(perRound));
        for (const window of WINDOWS) {
          if (failures.has(window)) continue;
          try {
            samples[window]!.push(await keyward(perRound, window));
          } catch (error) {
            failures.set(window, error instanceof Error ? error.message : String(error));
          }
        }
      }
      // Keys made before a failure must still be on both members.
      const synced = await core.call('SyncCluster', { ClusterId: setUp.clusterId });
      const replicatedAfterwards = synced.Members.reduce((sum, member) => sum + member.Replicated + member.Failed.length, 0);
      if (replicatedAfterwards > 0) throw new Error(`${replicatedAfterwards} versions were missing on a member after the ceremony`);
      const baseline = median(samples.raw!);
      options.log(`raw ${baseline.toFixed(1)} keys/s; samples ${JSON.stringify(samples)}`);
      return WINDOWS.map((window): BenchResult => {
        const name = `P3 ${total.toLocaleString('en-US')} AES-256 keys created + replicated to 2 HSMs (${window === 1 ? 'one at a time' : `${window} in flight`})`;
        const failure = failures.get(window);
        if (failure) return { name, keyward: null, baseline: round(baseline, 1), unit: 'keys/s', ratio: null, goal: `>= ${GOAL} of raw generate+wrap+unwrap`, met: false, note: failure };
        const keywardRate = median(samples[window]!);
        const ratio = keywardRate / baseline;
        options.log(`keyward ${keywardRate.toFixed(1)} keys/s with ${window} in flight, ratio ${ratio.toFixed(3)}`);
        return {
          name,
          keyward: round(keywardRate, 1),
          baseline: round(baseline, 1),
          unit: 'keys/s',
          ratio: round(ratio),
          goal: `>= ${GOAL} of raw generate+wrap+unwrap`,
          met: ratio >= GOAL,
          note: `${total / WINDOWS.length} keys per row; SyncCluster afterwards found every key on both members`,
        };
      });
    } finally {
      raw?.close();
      await core.close();
      await clusterTokens.cleanup();
      await rawTokens.cleanup();
    }
  },
};
