import { KmsError } from '../../../../shared/errors';

/** One file of a backup's payload. */
export interface PayloadEntry {
  /** `registry.sqlite` or `tokens/<token directory>/<file>`. */
  name: string;
  size: number;
  read(): AsyncIterable<Buffer>;
}

export interface PayloadFileWriter {
  write(chunk: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Where a reader puts the payload's files (a staging directory, or nowhere when only verifying). */
export interface PayloadSink {
  open(name: string, size: number): Promise<PayloadFileWriter>;
}

/** Names a backup may carry: anything else (a path with `..`, an absolute path) is damage or an attack. */
const ENTRY_NAME = /^(registry\.sqlite|tokens\/[A-Za-z0-9._-]{1,128}\/[A-Za-z0-9._-]{1,128})$/;

export function isPayloadName(name: string): boolean {
  return ENTRY_NAME.test(name) && !name.split('/').some((part) => part === '.' || part === '..');
}

/** Frames: u16 name length | name | u64 size | bytes, one after another. */
export async function* frameEntries(entries: AsyncIterable<PayloadEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const header = Buffer.alloc(2 + name.length + 8);
    header.writeUInt16BE(name.length, 0);
    name.copy(header, 2);
    header.writeBigUInt64BE(BigInt(entry.size), 2 + name.length);
    yield header;
    let written = 0;
    for await (const chunk of entry.read()) {
      written += chunk.length;
      yield chunk;
    }
    // A file that changed size while being read would break every frame after it.
    if (written !== entry.size) throw new Error(`backup entry ${entry.name} changed size while it was read`);
  }
}

/** Splits the decrypted, decompressed payload back into files, checked against the manifest's list. */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);
  private current: { writer: PayloadFileWriter; remaining: number } | null = null;
  private index = 0;

  constructor(
    private readonly expected: readonly { Name: string; Size: number }[],
    private readonly sink: PayloadSink,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      if (this.current) {
        if (this.buffered.length === 0) return;
        const take = Math.min(this.current.remaining, this.buffered.length);
        await this.current.writer.write(this.buffered.subarray(0, take));
        this.buffered = this.buffered.subarray(take);
        this.current.remaining -= take;
        if (this.current.remaining > 0) return;
        await this.current.writer.close();
        this.current = null;
        continue;
      }
      if (this.buffered.length < 2) return;
      const nameLength = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + nameLength + 8) return;
      const name = this.buffered.subarray(2, 2 + nameLength).toString('utf8');
      const size = Number(this.buffered.readBigUInt64BE(2 + nameLength));
      const listed = this.expected[this.index];
      if (!listed || listed.Name !== name || listed.Size !== size || !isPayloadName(name)) throw corrupted();
      this.index += 1;
      this.buffered = this.buffered.subarray(2 + nameLength + 8);
      this.current = { writer: await this.sink.open(name, size), remaining: size };
      if (size === 0) {
        await this.current.writer.close();
        this.current = null;
      }
    }
  }

  /** Every listed file arrived whole and nothing follows them. */
  async end(): Promise<void> {
    if (this.current || this.buffered.length > 0 || this.index !== this.expected.length) throw corrupted();
    return Promise.resolve();
  }
}

function corrupted(): KmsError {
  return new KmsError('InvalidBackup.Corrupted', 'The backup’s contents do not match its manifest.');
}
