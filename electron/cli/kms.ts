import { createCore } from '../main/app/core';
import { resolveDataDir } from '../main/app/data-dir';
import { dataDirInUseBody, liveLockHolder } from '../main/app/instance-lock';
import { createNodeWorkerLauncher } from '../main/hsm/node-launcher';
import { parseCliArguments, runCliOperation, takeSecretVariables, type CliIo } from '../main/transports/cli';

/** `kms <Operation> ...`: the command-line binding of the operation catalogue. */
async function main(): Promise<number> {
  const io: CliIo = {
    env: {},
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin,
  };
  const parsed = parseCliArguments(process.argv.slice(2), io);
  if (typeof parsed === 'number') return parsed;
  // Passwords leave process.env before anything else starts, so no child process inherits them.
  io.env = takeSecretVariables(parsed, process.env);

  const dataDir = resolveDataDir(parsed.dataDir, process.env);
  const holder = liveLockHolder(dataDir);
  if (holder) {
    io.stderr(`${JSON.stringify(dataDirInUseBody(dataDir, holder))}\n`);
    return 2;
  }
  const core = await createCore({
    dataDir,
    launcher: createNodeWorkerLauncher(),
  });
  try {
    return await runCliOperation(parsed, core, io);
  } finally {
    await core.close();
  }
}

/** Standard input up to `limit` bytes (a longer input is cut there; callers ask one byte more than they accept). */
async function readStdin(limit: number): Promise<Buffer | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    total += buffer.length;
    if (total >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
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
