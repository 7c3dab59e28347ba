import { describe, expect, it } from 'vitest';
import { frameEntries, FrameParser, isPayloadName, type PayloadEntry, type PayloadSink } from '../../../electron/main/services/backup/backup-frames';
import { KmsError } from '../../../shared/errors';

interface Received {
  name: string;
  size: number;
  bytes: Buffer;
  closed: boolean;
}

/** A sink that keeps every file in memory, to compare with what was framed. */
function memorySink(): { sink: PayloadSink; files: Received[] } {
  const files: Received[] = [];
  const sink: PayloadSink = {
    open: (name, size) => {
      const file: Received = { name, size, bytes: Buffer.alloc(0), closed: false };
      files.push(file);
      return Promise.resolve({
        write: (chunk) => {
          file.bytes = Buffer.concat([file.bytes, chunk]);
          return Promise.resolve();
        },
        close: () => {
          file.closed = true;
          return Promise.resolve();
        },
      });
    },
  };
  return { sink, files };
}

function entry(name: string, content: Buffer, chunkSize = 7): PayloadEntry {
  return {
    name,
    size: content.length,
    async *read() {
      for (let at = 0; at < content.length; at += chunkSize) yield content.subarray(at, at + chunkSize);
    },
  };
}

async function* listOf(entries: PayloadEntry[]): AsyncGenerator<PayloadEntry> {
  for (const item of entries) yield item;
}

async function framed(entries: PayloadEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of frameEntries(listOf(entries))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const FILES = [
  { name: 'registry.sqlite', content: Buffer.from('SQLite format 3\0'.repeat(40)) },
  { name: 'tokens/7c3e-token/token.object', content: Buffer.alloc(0) },
  { name: 'tokens/7c3e-token/a1b2c3.object', content: Buffer.from(Array.from({ length: 300 }, (_, index) => index % 251)) },
];
const MANIFEST_FILES = FILES.map(({ name, content }) => ({ Name: name, Size: content.length }));

async function parse(bytes: Buffer, expected: readonly { Name: string; Size: number }[], cut: (length: number) => number[]): Promise<Received[]> {
  const { sink, files } = memorySink();
  const parser = new FrameParser(expected, sink);
  let at = 0;
  for (const size of cut(bytes.length)) {
    await parser.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) await parser.push(bytes.subarray(at));
  await parser.end();
  return files;
}

async function expectCorrupted(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KmsError);
  expect((error as KmsError).code).toBe('InvalidBackup.Corrupted');
}

describe('backup payload frames', () => {
  it('gives back every file whole, in order, however the decrypted stream is cut into chunks', async () => {
    const bytes = await framed(FILES.map(({ name, content }) => entry(name, content)));
    const cuts: ((length: number) => number[])[] = [
      (length) => [length],
      (length) => Array.from({ length }, () => 1),
      (length) => Array.from({ length: Math.ceil(length / 13) }, () => 13),
      // Chunk boundaries right inside a name length, a name and a size field.
      () => [1, 2, 15, 3, 5, 1],
    ];
    for (const cut of cuts) {
      const files = await parse(bytes, MANIFEST_FILES, cut);
      expect(files.map(({ name, size, closed }) => ({ name, size, closed }))).toEqual(FILES.map(({ name, content }) => ({ name, size: content.length, closed: true })));
      for (const [index, file] of files.entries()) expect(file.bytes.equals(FILES[index]!.content)).toBe(true);
    }
  });

  it('refuses a stream that does not match the manifest: another name, another size, another order, missing or extra bytes', async () => {
    const bytes = await framed(FILES.map(({ name, content }) => entry(name, content)));
    const whole = (length: number): number[] => [length];
    await expectCorrupted(parse(bytes, MANIFEST_FILES.map((file, index) => (index === 2 ? { ...file, Name: 'tokens/7c3e-token/other.object' } : file)), whole));
    await expectCorrupted(parse(bytes, MANIFEST_FILES.map((file, index) => (index === 0 ? { ...file, Size: file.Size + 1 } : file)), whole));
    await expectCorrupted(parse(bytes, [...MANIFEST_FILES].reverse(), whole));
    await expectCorrupted(parse(bytes, MANIFEST_FILES.slice(0, 2), whole));
    await expectCorrupted(parse(bytes, [...MANIFEST_FILES, { Name: 'tokens/7c3e-token/b.object', Size: 1 }], whole));
    await expectCorrupted(parse(bytes.subarray(0, bytes.length - 1), MANIFEST_FILES, whole));
    await expectCorrupted(parse(Buffer.concat([bytes, Buffer.from([0])]), MANIFEST_FILES, whole));
  });

  it('refuses a listed name that would write outside the staging directory, even when the manifest lists it', async () => {
    for (const name of ['tokens/../../etc/passwd', '/etc/passwd', 'tokens/x/../registry.sqlite', 'tokens/./token.object', 'tokens/a/b/c', 'registry.sqlite-wal', '../registry.sqlite']) {
      const content = Buffer.from('x');
      const bytes = await framed([entry(name, content)]);
      await expectCorrupted(parse(bytes, [{ Name: name, Size: 1 }], (length) => [length]));
    }
  });

  it('knows the names a backup may carry', () => {
    expect(isPayloadName('registry.sqlite')).toBe(true);
    expect(isPayloadName('tokens/0a1b-2c/token.object')).toBe(true);
    for (const name of ['tokens/../x', 'tokens/./x', 'tokens/../..', 'tokens/a', 'tokens//x', 'tokens/a/b/c', '/registry.sqlite', 'registry.sqlite\0', 'tokens/a/x y', `tokens/${'a'.repeat(129)}/x`, '']) {
      expect(isPayloadName(name), name).toBe(false);
    }
  });

  it('stops when a file changes size while it is read (every frame after it would be misread)', async () => {
    const grown: PayloadEntry = { ...entry('registry.sqlite', Buffer.from('abcdef')), size: 5 };
    await expect(framed([grown])).rejects.toThrow(/changed size/);
    const shrunk: PayloadEntry = { ...entry('registry.sqlite', Buffer.from('abc')), size: 5 };
    await expect(framed([shrunk])).rejects.toThrow(/changed size/);
  });
});
