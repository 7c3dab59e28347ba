import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { backupManifestSchema, type BackupManifest } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { checkScryptParameters, manifestSignature, passwordCheckValue, type BackupKeys } from './backup-keys';
import { frameEntries, FrameParser, type PayloadEntry, type PayloadSink } from './backup-frames';

/*
 * The file:
 *   "KEYWARD-BACKUP\n" | u32 header length | header JSON | ciphertext | trailer
 *   header  = {Manifest, ManifestSignature, PasswordCheck, Salt, Iv}   (readable without the password)
 *   payload = AES-256-GCM(gzip(framed files)), AAD = everything before the ciphertext
 *   trailer = GCM tag (16) | u64 ciphertext length | SHA-256 of everything before the ciphertext | "KWBKEND\n"
 * The unkeyed hash tells damage (a flipped or lost byte) from a wrong password before any key is
 * derived; the keyed HMAC over the manifest and the GCM tag over everything tell tampering.
 */
const MAGIC = Buffer.from('KEYWARD-BACKUP\n', 'ascii');
const END_MARK = Buffer.from('KWBKEND\n', 'ascii');
const TRAILER_BYTES = 16 + 8 + 32 + END_MARK.length;
const MAX_HEADER_BYTES = 1024 * 1024;
export const BACKUP_FORMAT_VERSION = 1;

interface BackupHeader {
  Manifest: BackupManifest;
  ManifestSignature: string;
  PasswordCheck: string;
  Salt: string;
  Iv: string;
}

export interface OpenedBackup {
  manifest: BackupManifest;
  /** The manifest exactly as signed. */
  manifestJson: string;
  signature: Buffer;
  passwordCheck: Buffer;
  salt: Buffer;
  sizeBytes: number;
  read(keys: BackupKeys, sink: PayloadSink): Promise<void>;
}

/** Writes a whole backup to `file` (which must not exist); returns its size. */
export async function writeBackupFile(
  file: string,
  options: { manifest: BackupManifest; keys: BackupKeys; salt: Buffer; entries: AsyncIterable<PayloadEntry> },
): Promise<number> {
  const manifestJson = JSON.stringify(options.manifest);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    Manifest: options.manifest,
    ManifestSignature: manifestSignature(options.keys, manifestJson).toString('base64'),
    PasswordCheck: passwordCheckValue(options.keys).toString('base64'),
    Salt: options.salt.toString('base64'),
    Iv: iv.toString('base64'),
  };
  const prefix = encodePrefix(header);
  const cipher = createCipheriv('aes-256-gcm', options.keys.encryption, iv);
  cipher.setAAD(prefix);
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  out.write(prefix);
  let ciphertextBytes = 0;
  cipher.on('data', (chunk: Buffer) => (ciphertextBytes += chunk.length));
  await pipeline(frameEntries(options.entries), createGzip({ level: 6 }), cipher, out, { end: false });
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(ciphertextBytes));
  const trailer = Buffer.concat([cipher.getAuthTag(), length, createHash('sha256').update(prefix).digest(), END_MARK]);
  await new Promise<void>((resolve, reject) => {
    out.end(trailer, () => resolve());
    out.once('error', reject);
  });
  // The bytes are on disk before the caller renames the file to its final name.
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return prefix.length + ciphertextBytes + TRAILER_BYTES;
}

/** Reads and checks the unencrypted parts; the payload is read (and authenticated) by `read`. */
export async function openBackupFile(file: string): Promise<OpenedBackup> {
  const sizeBytes = await backupFileSize(file);
  const handle = await open(file, 'r');
  let prefix: Buffer;
  let trailer: Buffer;
  try {
    const start = await readAt(handle, 0, MAGIC.length + 4);
    if (start.length < MAGIC.length || !start.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new KmsError('InvalidBackup.NotABackup', 'This file is not a Keyward backup.');
    }
    if (start.length < MAGIC.length + 4) throw truncated();
    const headerBytes = start.readUInt32BE(MAGIC.length);
    if (headerBytes > MAX_HEADER_BYTES) throw new KmsError('InvalidBackup.NotABackup', 'This file’s backup header is too large to be one.');
    prefix = await readAt(handle, 0, MAGIC.length + 4 + headerBytes);
    if (prefix.length < MAGIC.length + 4 + headerBytes || sizeBytes < prefix.length + TRAILER_BYTES) throw truncated();
    trailer = await readAt(handle, sizeBytes - TRAILER_BYTES, TRAILER_BYTES);
  } finally {
    await handle.close();
  }
  if (!trailer.subarray(TRAILER_BYTES - END_MARK.length).equals(END_MARK)) throw truncated();
  const tag = trailer.subarray(0, 16);
  const ciphertextBytes = Number(trailer.readBigUInt64BE(16));
  if (prefix.length + ciphertextBytes + TRAILER_BYTES !== sizeBytes) {
    throw new KmsError('InvalidBackup.Corrupted', 'The backup’s length does not match what it records: bytes were lost or added.');
  }
  if (!createHash('sha256').update(prefix).digest().equals(trailer.subarray(24, 56))) {
    throw new KmsError('InvalidBackup.Corrupted', 'The backup’s header is damaged.');
  }
  const { header, manifestJson } = parseHeader(prefix.subarray(MAGIC.length + 4));
  return {
    manifest: header.Manifest,
    manifestJson,
    signature: Buffer.from(header.ManifestSignature, 'base64'),
    passwordCheck: Buffer.from(header.PasswordCheck, 'base64'),
    salt: Buffer.from(header.Salt, 'base64'),
    sizeBytes,
    read: async (keys, sink) => {
      const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(header.Iv, 'base64'));
      decipher.setAAD(prefix);
      decipher.setAuthTag(tag);
      const parser = new FrameParser(header.Manifest.Files, sink);
      const input = createReadStream(file, { start: prefix.length, end: prefix.length + ciphertextBytes - 1 });
      try {
        await pipeline(input, decipher, createGunzip(), new Writable({ write: (chunk: Buffer, _encoding, done) => parser.push(chunk).then(() => done(), done) }));
        await parser.end();
      } catch (error) {
        if (error instanceof KmsError) throw error;
        throw new KmsError('InvalidBackup.Corrupted', 'The backup’s contents fail their integrity check: the file was damaged or altered.');
      }
    },
  };
}

function encodePrefix(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
}

/** The header, and its manifest as written (the signature covers those bytes, not a re-ordered parse). */
function parseHeader(bytes: Buffer): { header: BackupHeader; manifestJson: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new KmsError('InvalidBackup.NotABackup', 'The backup header is not readable.');
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const formatVersion = (record.Manifest as { FormatVersion?: unknown } | undefined)?.FormatVersion;
  if (typeof formatVersion === 'number' && formatVersion > BACKUP_FORMAT_VERSION) {
    throw new KmsError('InvalidBackup.NewerSchema', `This backup has format ${formatVersion}; this Keyward reads format ${BACKUP_FORMAT_VERSION}. Restore it with a newer Keyward.`);
  }
  const manifest = backupManifestSchema.safeParse(record.Manifest);
  const fields = ['ManifestSignature', 'PasswordCheck', 'Salt', 'Iv'] as const;
  if (!manifest.success || fields.some((field) => typeof record[field] !== 'string')) {
    throw new KmsError('InvalidBackup.NotABackup', 'The backup header lacks fields a Keyward backup has.');
  }
  const kdfProblem = checkScryptParameters({ N: manifest.data.Kdf.N, R: manifest.data.Kdf.R, P: manifest.data.Kdf.P });
  if (kdfProblem) throw new KmsError('InvalidBackup.NotABackup', `The backup asks for key derivation this Keyward refuses: ${kdfProblem}.`);
  return { header: { ...(record as unknown as BackupHeader), Manifest: manifest.data }, manifestJson: JSON.stringify(record.Manifest) };
}

async function readAt(handle: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** A path that names nothing any more (moved or deleted after it was chosen), or no file, is a refusal, not a failure. */
async function backupFileSize(file: string): Promise<number> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new KmsError('NotFound.File', 'The backup file is no longer there: choose it again.');
    throw error;
  }
  if (!stats.isFile()) throw new KmsError('InvalidBackup.NotABackup', 'That is not a file, so not a Keyward backup.');
  return stats.size;
}

function truncated(): KmsError {
  return new KmsError('InvalidBackup.Truncated', 'The backup file ends early: it was cut short while copied or written. Use another copy.');
}
