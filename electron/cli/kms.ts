import { createCore } from '../main/app/core';
import { resolveDataDir } from '../main/app/data-dir';
import { createNodeWorkerLauncher } from '../main/hsm/node-launcher';
import { parseCliArguments, runCliOperation, type CliIo } from '../main/transports/cli';

/** `kms <Operation> ...`: the command-line binding of the operation catalogue. */
async function main(): Promise<number> {
  const io: CliIo = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin,
  };
  const parsed = parseCliArguments(process.argv.slice(2), io);
  if (typeof parsed === 'number') return parsed;

  const core = await createCore({
    dataDir: resolveDataDir(parsed.dataDir, process.env),
    launcher: createNodeWorkerLauncher(),
  });
  try {
    return await runCliOperation(parsed, core, io);
  } finally {
    await core.close();
  }
}

async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > 4096) break; // a password, not a file
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(JSON.stringify({ Code: 'InternalFailure', Message: message, RequestId: '' }) + '\n');
    process.exitCode = 1;
  },
);
