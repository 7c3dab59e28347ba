/**
 * A process for the secrets crash suite to kill: the real core on a data directory, connected,
 * putting new versions of a few secrets (some with custom stages, some check-and-set with
 * ExpectedCurrentVersionId) and moving them between two CMKs (UpdateSecret re-wraps every
 * version's data key) as fast as it can. Before each operation it prints `BEGIN <op> ...`; after
 * the operation answered (its transaction and audit record committed) `PUT <secret> <version>` or
 * `CMK <secret> <keyId>`. Values are derived from the version id (crash-secrets.ts), never printed.
 *
 * It first retries the PutSecretValue the previous run was killed in (same VersionId and data):
 * that must answer as a fresh put would, whether or not the killed one had committed.
 *
 *   KW_CRASH_PASSWORD=… node --import tsx secret-driver.ts '{"dataDir","keys":[a,b],"run","seed","retry"}'
 */
import { createCore } from '../../../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../../../electron/main/hsm/node-launcher';
import { CRASH_CUSTOM_STAGES, CRASH_SECRET_NAMES, crashValue, crashVersionId, formatPut, parsePut, type CrashPut } from './crash-secrets';
import { Random } from './random';

interface DriverOptions {
  dataDir: string;
  keys: [string, string];
  run: number;
  seed: number;
  /** The put the previous run began and did not see answered (formatPut), or null. */
  retry: string | null;
}

const options = JSON.parse(process.argv[2] ?? '{}') as DriverOptions;
const password = process.env.KW_CRASH_PASSWORD;
delete process.env.KW_CRASH_PASSWORD;
if (!options.dataDir || !password) {
  console.error('usage: KW_CRASH_PASSWORD=… secret-driver <options json>');
  process.exit(2);
}

/** Stops the run with a finding: the suite sees an exit instead of its SIGKILL. */
function fail(message: string): never {
  process.stderr.write(`DRIVER-FAILED ${message}\n`);
  process.exit(3);
}

const core = await createCore({ dataDir: options.dataDir, launcher: createNodeWorkerLauncher(), actor: 'secret-crash-driver' });
const call = async (op: string, input: unknown): Promise<Record<string, unknown>> => {
  const outcome = await core.dispatch(op, input, { transport: 'cli' });
  if (!outcome.ok) fail(`${op}: ${outcome.error.Code} ${outcome.error.Message}`);
  return outcome.output as Record<string, unknown>;
};

async function put(request: CrashPut): Promise<void> {
  process.stdout.write(`BEGIN PutSecretValue ${formatPut(request)}\n`);
  const answer = await call('PutSecretValue', {
    SecretName: request.secretName,
    VersionId: request.versionId,
    ...crashValue(request.secretName, request.versionId),
    VersionStages: request.stages,
    ...(request.expectedCurrent === null ? {} : { ExpectedCurrentVersionId: request.expectedCurrent }),
  });
  // A fresh put and the retry of a committed one both answer with the stages the request asked for.
  const stages = (answer.VersionStages as string[]).join(',');
  if (stages !== [...request.stages].sort().join(',')) fail(`PutSecretValue ${request.versionId} answered stages ${stages || '(none)'}, asked ${request.stages.join(',')}`);
  process.stdout.write(`PUT ${request.secretName} ${request.versionId}\n`);
}

await call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: password });
process.stdout.write('PID-WORKERS-READY\n');
if (options.retry) await put(parsePut(options.retry));

const current = new Map<string, string>();
const cmk = new Map<string, string>();
for (const name of CRASH_SECRET_NAMES) {
  const described = await call('DescribeSecret', { SecretName: name });
  current.set(name, described.CurrentVersionId as string);
  cmk.set(name, described.EncryptionKeyId as string);
}

const random = new Random(options.seed);
for (let index = 0; ; index += 1) {
  const secretName = random.pick(CRASH_SECRET_NAMES);
  if (random.next() < 0.15) {
    const target = cmk.get(secretName) === options.keys[0] ? options.keys[1] : options.keys[0];
    process.stdout.write(`BEGIN UpdateSecret ${secretName} ${target}\n`);
    const answer = await call('UpdateSecret', { SecretName: secretName, EncryptionKeyId: target });
    if (answer.EncryptionKeyId !== target) fail(`UpdateSecret ${secretName} answered ${String(answer.EncryptionKeyId)}, asked ${target}`);
    cmk.set(secretName, target);
    process.stdout.write(`CMK ${secretName} ${target}\n`);
    continue;
  }
  const shape = random.next();
  const stages = shape < 0.6 ? ['ACSCurrent'] : shape < 0.8 ? ['ACSCurrent', CRASH_CUSTOM_STAGES[0]] : [CRASH_CUSTOM_STAGES[1]];
  const request: CrashPut = { secretName, versionId: crashVersionId(options.run, index), stages, expectedCurrent: random.next() < 0.5 ? (current.get(secretName) ?? null) : null };
  await put(request);
  if (stages.includes('ACSCurrent')) current.set(secretName, request.versionId);
}
