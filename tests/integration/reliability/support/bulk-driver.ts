/**
 * A process for the crash-safety suite to kill: the real core on a data directory, connected,
 * creating keys and rotating them (CreateKeyVersion) as fast as it can. Before each operation it
 * prints `BEGIN <op>`; it prints `ACK <KeyId> <spec>` / `ROT <KeyId> <KeyVersionId>` only after the
 * operation answered, i.e. after the registry transaction and its audit record committed.
 *
 *   node --import tsx bulk-driver.ts <dataDir> <password>
 */
import { createCore } from '../../../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../../../electron/main/hsm/node-launcher';

const [dataDir, password] = process.argv.slice(2);
if (!dataDir || !password) {
  console.error('usage: bulk-driver <dataDir> <password>');
  process.exit(2);
}

const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'crash-driver' });
const call = async (op: string, input: unknown): Promise<Record<string, unknown>> => {
  const outcome = await core.dispatch(op, input, { transport: 'cli' });
  if (!outcome.ok) throw new Error(`${op}: ${outcome.error.Code} ${outcome.error.Message}`);
  return outcome.output as Record<string, unknown>;
};
await call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: password });
process.stdout.write(`PID-WORKERS-READY\n`);
for (let index = 0; ; index += 1) {
  const spec = index % 5 === 4 ? 'EC_P256' : 'Aliyun_AES_256';
  process.stdout.write('BEGIN CreateKey\n');
  const created = await call('CreateKey', { KeySpec: spec, Description: `crash ${index}` });
  const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
  process.stdout.write(`ACK ${keyId} ${spec}\n`);
  if (spec !== 'Aliyun_AES_256') continue;
  process.stdout.write('BEGIN CreateKeyVersion\n');
  const rotated = await call('CreateKeyVersion', { KeyId: keyId });
  process.stdout.write(`ROT ${keyId} ${(rotated.KeyVersion as { KeyVersionId: string }).KeyVersionId}\n`);
  await call('Encrypt', { KeyId: keyId, Plaintext: 'Y3Jhc2g=' });
}
