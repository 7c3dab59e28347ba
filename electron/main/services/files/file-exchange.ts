import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { KmsError } from '../../../../shared/errors';

/** How long a made file waits for its transport to collect it, and a staged upload for its operation. */
const DEFAULT_TTL_MS = 30 * 60_000;

export interface OutgoingFile {
  /** The file's path while it waits in the exchange directory. */
  path: string;
  /** The name the transport suggests to the officer (save dialog, download, nothing for --output). */
  fileName: string;
}

export interface StagedFile {
  /** Write here; `commit` renames it to its final name only when the file is whole. */
  tempPath: string;
  commit(): OutgoingFile;
  discard(): void;
}

interface IncomingEntry {
  path: string;
  /** Ours to delete (an upload or a dialog copy); a CLI --input file is the officer's own. */
  owned: boolean;
  expiresAt: number;
}

/**
 * Files that operations make or read but the contract never names by path: a made file is staged
 * here until its transport delivers it (save dialog, one-time download, --output), and a file to
 * read is registered here by its transport (open dialog, upload, --input) and named by a random
 * FileId. The renderer only ever holds ids; an id that no transport registered names nothing.
 * The directory lives in the data directory (0700, files 0600) and is emptied at every start.
 */
export class FileExchange {
  private readonly outgoing = new Map<string, OutgoingFile & { expiresAt: number }>();
  private readonly incoming = new Map<string, IncomingEntry>();

  constructor(
    readonly directory: string,
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly clock: () => number = Date.now,
    /** False: the directory is left alone until `reset` (the core resets it once the data directory opened). */
    startEmpty = true,
  ) {
    if (startEmpty) this.reset();
  }

  /** Drops leftovers of an earlier run (a backup nobody collected, a half upload). */
  reset(): void {
    rmSync(this.directory, { recursive: true, force: true });
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  /** A new file to be made: its temporary path, and the commit that publishes it under `id`. */
  stageOutgoing(id: string, fileName: string): StagedFile {
    this.sweep();
    const finalPath = path.join(this.directory, `out-${id}`);
    const tempPath = `${finalPath}.partial`;
    return {
      tempPath,
      commit: () => {
        renameSync(tempPath, finalPath);
        const file = { path: finalPath, fileName };
        this.outgoing.set(id, { ...file, expiresAt: this.clock() + this.ttlMs });
        return file;
      },
      discard: () => rmSync(tempPath, { force: true }),
    };
  }

  /**
   * Hands a made file to its transport, once: the entry is gone afterwards and the transport
   * deletes the file when it has delivered it (`release`).
   */
  takeOutgoing(id: string): OutgoingFile | null {
    const entry = this.outgoing.get(id);
    if (!entry) return null;
    this.outgoing.delete(id);
    return { path: entry.path, fileName: entry.fileName };
  }

  /** A path in the exchange directory for an upload to write, and the id it will go by. */
  newUploadPath(): { fileId: string; path: string } {
    this.sweep();
    const fileId = newFileId();
    return { fileId, path: path.join(this.directory, `in-${fileId}`) };
  }

  /** Registers a file a transport staged (`owned`: in this directory) or names (CLI --input). */
  registerIncoming(filePath: string, owned: boolean, fileId: string = newFileId()): string {
    this.incoming.set(fileId, { path: filePath, owned, expiresAt: this.clock() + this.ttlMs });
    return fileId;
  }

  /** The path behind a FileId; NotFound.File for an id no transport registered (or that expired). */
  resolveIncoming(fileId: string): string {
    const entry = this.incoming.get(fileId);
    if (!entry || entry.expiresAt < this.clock()) {
      throw new KmsError('NotFound.File', 'No file goes by that FileId: upload or choose the file again.');
    }
    return entry.path;
  }

  /** Forgets an incoming file (and deletes it when it is ours). */
  releaseIncoming(fileId: string): void {
    const entry = this.incoming.get(fileId);
    if (!entry) return;
    this.incoming.delete(fileId);
    if (entry.owned) rmSync(entry.path, { force: true });
  }

  /** Deletes what expired, and a delivered outgoing file. */
  release(filePath: string): void {
    if (path.dirname(filePath) === this.directory) rmSync(filePath, { force: true });
  }

  sweep(): void {
    const now = this.clock();
    for (const [id, entry] of this.outgoing) {
      if (entry.expiresAt >= now) continue;
      this.outgoing.delete(id);
      rmSync(entry.path, { force: true });
    }
    for (const [id, entry] of this.incoming) if (entry.expiresAt < now) this.releaseIncoming(id);
  }

  /** Total bytes waiting in the directory (for tests and the status line). */
  pendingBytes(): number {
    return readdirSync(this.directory).reduce((sum, name) => sum + statSync(path.join(this.directory, name)).size, 0);
  }

  close(): void {
    rmSync(this.directory, { recursive: true, force: true });
    this.outgoing.clear();
    this.incoming.clear();
  }
}

export function newFileId(): string {
  return `file-${randomBytes(24).toString('base64url')}`;
}
