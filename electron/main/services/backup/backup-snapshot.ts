import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { constants } from 'node:fs';
import { readSnapshotSummary, type SnapshotSummary } from '../../registry';
import { defaultKeyStorePaths } from '../keystores/default-key-store';
import type { ServiceContext } from '../service-context';
import type { PayloadEntry } from './backup-frames';
import type { WriteGate } from './write-gate';

/** Holds the default key store's token still: the audit anchor is the one writer besides operations. */
export interface TokenWriteHold {
  hold<T>(work: () => Promise<T>): Promise<T>;
}

export interface Snapshot {
  summary: SnapshotSummary;
  files: { name: string; size: number; path: string }[];
}

/**
 * Copies the default key store's token files and then the registry into `dir`, with no state
 * change in flight: the gate holds operations and maintenance back, the anchor hold keeps the
 * token still. Tokens first: an anchor in the copied token can then only be at or behind the
 * copied registry's audit head, which is what the anchor check expects after a restore.
 */
export async function takeSnapshot(
  context: ServiceContext,
  options: { dir: string; includeDefaultKeyStore: boolean; gate: WriteGate; anchor: TokenWriteHold; onProgress: (fraction: number) => void },
): Promise<Snapshot> {
  await mkdir(path.join(options.dir, 'tokens'), { recursive: true, mode: 0o700 });
  const registryCopy = path.join(options.dir, 'registry.sqlite');
  const tokens = await options.gate.exclusive(async () => {
    const copied = options.includeDefaultKeyStore ? await options.anchor.hold(() => copyTokens(defaultKeyStorePaths(context.dataDir).tokenDir, path.join(options.dir, 'tokens'))) : [];
    await context.registry.snapshotTo(registryCopy, options.onProgress);
    return copied;
  });
  const summary = readSnapshotSummary(registryCopy);
  const registrySize = (await stat(registryCopy)).size;
  return { summary, files: [{ name: 'registry.sqlite', size: registrySize, path: registryCopy }, ...tokens] };
}

export async function* snapshotEntries(snapshot: Snapshot): AsyncGenerator<PayloadEntry> {
  for (const file of snapshot.files) {
    yield { name: file.name, size: file.size, read: () => createReadStream(file.path) as AsyncIterable<Buffer> };
  }
}

async function copyTokens(tokenDir: string, target: string): Promise<{ name: string; size: number; path: string }[]> {
  const copied: { name: string; size: number; path: string }[] = [];
  for (const token of await listDir(tokenDir)) {
    if (!token.isDirectory()) continue;
    await mkdir(path.join(target, token.name), { mode: 0o700 });
    const names = new Set<string>();
    for (const file of await listDir(path.join(tokenDir, token.name))) {
      if (!file.isFile()) continue;
      const to = path.join(target, token.name, file.name);
      await copyFile(path.join(tokenDir, token.name, file.name), to, constants.COPYFILE_EXCL);
      copied.push({ name: `tokens/${token.name}/${file.name}`, size: (await stat(to)).size, path: to });
      names.add(file.name);
    }
    // SoftHSM2 cannot change or delete an object whose .lock file is missing (CKR_GENERAL_ERROR,
    // CKR_FUNCTION_FAILED): every object of the snapshot has one, even if the live one lost it.
    for (const name of [...names].filter((candidate) => candidate.endsWith('.object'))) {
      const lock = `${name.slice(0, -'.object'.length)}.lock`;
      if (names.has(lock)) continue;
      await writeFile(path.join(target, token.name, lock), '', { flag: 'wx', mode: 0o600 });
      copied.push({ name: `tokens/${token.name}/${lock}`, size: 0, path: path.join(target, token.name, lock) });
    }
  }
  return copied;
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
