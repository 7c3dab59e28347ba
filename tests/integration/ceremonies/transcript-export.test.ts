/**
 * Signed ceremony transcripts on a real SoftHSM2 default key store and a real SQLite registry: a
 * ceremony record written out by hand is exported (JSON + PDF, each signed in the HSM by the audit
 * signing key, the export audited), checked by openssl alone from files rebuilt as the PDF's
 * verification page says, read back with pdftotext and pdftoppm, and VerifyCeremonyTranscript's
 * check fails when one byte of the JSON, of the PDF or of either signature changes, or when a
 * validly signed PDF is not the one rendered from the JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModules } from '../../../electron/main/hsm/modules';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { createBufferedAuditWriter, openRegistry, type BufferedAuditWriter, type Registry } from '../../../electron/main/registry';
import { AuditSigningKey } from '../../../electron/main/services/audit/audit-signing-key';
import { AuditTrail } from '../../../electron/main/services/audit/audit-trail';
import { CeremonyTranscripts } from '../../../electron/main/services/ceremonies/transcript/ceremony-transcripts';
import { KeyStoreConnections, tokenHandle } from '../../../electron/main/services/keystores/connections';
import { DEFAULT_KEY_STORE_ID, defaultKeyStoreModuleSpec } from '../../../electron/main/services/keystores/default-key-store';
import type { RequestContext } from '../../../electron/main/services/request-context';
import type { ServiceContext } from '../../../electron/main/services/service-context';
import { errorCodeOf } from '../../../shared/errors';
import type { OperationResult } from '../../../shared/contract';
import { sampleCeremony, SAMPLE_SCRIPT } from '../../support/ceremony-transcript-sample';
import { SOFTHSM_MODULE_PATH } from '../../support/softhsm';
import { CANARY_PASSWORD, createInitializedTestCore, createTestCore, removeDir, type TestCore } from '../../support/test-core';

type Export = OperationResult<'ExportCeremonyTranscript'>;

const REQUEST: RequestContext = { actor: 'alice', transport: 'internal', requestId: 'transcript-test', progress: () => undefined };

let dataDir: string;
let work: string;
let registry: Registry;
let hsm: HsmModules;
let writer: BufferedAuditWriter;
let transcripts: CeremonyTranscripts;
let signingKey: { PublicKey: string; Sha256: string };
let exported: Export;
let reopened: TestCore | undefined;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'keyward-transcript-'));
  // A real instance makes the default key store, some audit records and the audit signing key.
  const t = await createInitializedTestCore();
  dataDir = t.dataDir;
  await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
  await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' });
  signingKey = await t.call('GetAuditSigningKey', {});
  await t.close();

  // Then its data directory is opened from outside the dispatcher, as the ceremony service sees it.
  registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
  hsm = new HsmModules(createNodeWorkerLauncher());
  const context: ServiceContext = { registry, hsm, dataDir, softHsmModulePath: SOFTHSM_MODULE_PATH, now: () => new Date() };
  writer = createBufferedAuditWriter(registry, { maxBatch: 16, maxDelayMs: 10 });
  const client = hsm.client(defaultKeyStoreModuleSpec(context));
  const serial = (await client.listSlots()).find((slot) => slot.token?.label === 'keyward-default')?.token?.serial ?? '';
  await client.login({ serial, userPin: CANARY_PASSWORD });
  const connections = new KeyStoreConnections();
  connections.set(DEFAULT_KEY_STORE_ID, 'CONNECTED', null, [tokenHandle(client, serial)]);
  const audit = new AuditTrail(context, writer);
  transcripts = new CeremonyTranscripts(context, new AuditSigningKey(context, connections, audit), audit);
  exported = await transcripts.export(sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 2, toSequence: 4 }, REQUEST);
});

let outsideOpen = true;

async function closeOutside(): Promise<void> {
  if (!outsideOpen) return;
  outsideOpen = false;
  await writer?.close();
  await hsm?.closeAll();
  registry?.close();
}

afterAll(async () => {
  await closeOutside();
  await reopened?.close();
  if (dataDir) removeDir(dataDir);
  if (work) removeDir(work);
});

/** The export's files, rebuilt in a fresh directory as the verification page says (base64 -d). */
function filesOf(result: Export): string {
  const dir = mkdtempSync(path.join(work, 'check-'));
  writeFileSync(path.join(dir, 'transcript.json'), result.Json, 'utf8');
  writeFileSync(path.join(dir, 'signing-key.pem'), result.SigningPublicKey);
  writeFileSync(path.join(dir, 'transcript.sig.b64'), result.Signature);
  writeFileSync(path.join(dir, 'transcript.pdf.b64'), result.Pdf);
  writeFileSync(path.join(dir, 'transcript.pdf.sig.b64'), result.PdfSignature);
  for (const file of ['transcript.sig', 'transcript.pdf', 'transcript.pdf.sig']) {
    execFileSync('sh', ['-c', `base64 -d ${file}.b64 > ${file}`], { cwd: dir });
  }
  return dir;
}

function openssl(dir: string, signature: string, file: string): boolean {
  try {
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'signing-key.pem', '-signature', signature, file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.includes('Verified OK');
  } catch {
    return false;
  }
}

function flipByte(base64: string, at: (length: number) => number): string {
  const bytes = Buffer.from(base64, 'base64');
  const index = at(bytes.length);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

const verifyAll = (result: Export, changes: Partial<Export> = {}) => {
  const input = { ...result, ...changes };
  return transcripts.verify({ Json: input.Json, Signature: input.Signature, Pdf: input.Pdf, PdfSignature: input.PdfSignature });
};

describe('the export', () => {
  it('is the transcript of the ceremony, naming its audit records by hash and the signing key', () => {
    const transcript = JSON.parse(exported.Json) as { Ceremony: { CeremonyId: string }; AuditRange: Record<string, unknown>; SigningKeySha256: string };
    expect(transcript.Ceremony.CeremonyId).toBe(sampleCeremony().CeremonyId);
    expect(transcript.AuditRange).toEqual({ FromSequence: 2, ToSequence: 4, FromHash: registry.audit.get(2)?.hash, ToHash: registry.audit.get(4)?.hash });
    expect(transcript.SigningKeySha256).toBe(signingKey.Sha256);
    expect(exported.SigningPublicKey).toBe(signingKey.PublicKey);
    expect(exported.Json.endsWith('}\n')).toBe(true);
  });

  it('is audited as ExportCeremonyTranscript with the SHA-256 of both files', async () => {
    await writer.flush();
    const record = registry.audit.last();
    expect(record?.operation).toBe('ExportCeremonyTranscript');
    expect(record?.resourceId).toBe(sampleCeremony().CeremonyId);
    const sha256 = (data: Buffer): string => execFileSync('sha256sum', { input: data, encoding: 'utf8' }).slice(0, 64);
    expect(record?.details).toEqual({
      CeremonyId: sampleCeremony().CeremonyId,
      JsonSha256: sha256(Buffer.from(exported.Json, 'utf8')),
      PdfSha256: sha256(Buffer.from(exported.Pdf, 'base64')),
      SigningKeySha256: signingKey.Sha256,
    });
  });

  it('gives the same JSON and PDF bytes when exported again', async () => {
    const again = await transcripts.export(sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 2, toSequence: 4 }, REQUEST);
    expect(again.Json).toBe(exported.Json);
    expect(again.Pdf).toBe(exported.Pdf);
  });
});

describe('checked by openssl alone', () => {
  it('verifies both signatures from files rebuilt with base64 -d, and the signing key fingerprint', () => {
    const dir = filesOf(exported);
    expect(openssl(dir, 'transcript.sig', 'transcript.json')).toBe(true);
    expect(openssl(dir, 'transcript.pdf.sig', 'transcript.pdf')).toBe(true);
    // Each signature signs its own file only.
    expect(openssl(dir, 'transcript.sig', 'transcript.pdf')).toBe(false);
    const fingerprint = execFileSync('sh', ['-c', 'openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum'], { cwd: dir, encoding: 'utf8' });
    expect(fingerprint.slice(0, 64)).toBe(signingKey.Sha256);
  });

  it('refuses the JSON with one byte changed', () => {
    const dir = filesOf({ ...exported, Json: exported.Json.replace('"COMPLETED"', '"COMPLETEE"') });
    expect(openssl(dir, 'transcript.sig', 'transcript.json')).toBe(false);
  });
});

describe('the PDF, read back', () => {
  it('holds the ceremony, its participants, steps, sign-off lines and the verification commands', () => {
    const dir = filesOf(exported);
    const text = execFileSync('pdftotext', ['-layout', 'transcript.pdf', '-'], { cwd: dir, encoding: 'utf8' });
    for (const expected of [
      'Root signing key generation',
      sampleCeremony().CeremonyId,
      'COMPLETED',
      sampleCeremony().ScriptSha256,
      'b2'.repeat(32),
      'chloé (WITNESS)',
      'Create the root signing key (P-384)',
      '"KeySpec": "EC_P384"',
      'key-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
      'PublicKey (SHA-256): ' + 'd4'.repeat(32),
      'Signed: ______________________________ (bob)',
      'parentheses (like these) and a backslash \\ must print',
      'Root CA 2026 – offline',
      'No backup media in the room',
      signingKey.Sha256,
      registry.audit.get(2)?.hash ?? 'missing',
      'openssl dgst -sha256 -verify signing-key.pem -signature transcript.sig transcript.json',
      'openssl dgst -sha256 -verify signing-key.pem -signature transcript.pdf.sig transcript.pdf',
      'base64 -d > transcript.sig',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('renders every page to an image', () => {
    const dir = filesOf(exported);
    const info = execFileSync('pdfinfo', ['transcript.pdf'], { cwd: dir, encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(info).toMatch(/Page size:\s+595.28 x 841.89 pts \(A4\)/);
    expect(info).toMatch(/CreationDate:\s+Tue Dec\s+1 10:12:44 2026 UTC/);
    expect(pages).toBeGreaterThanOrEqual(3);
    execFileSync('pdftoppm', ['-r', '40', '-png', 'transcript.pdf', 'page'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const images = readdirSync(dir).filter((file) => /^page-\d+\.png$/.test(file));
    expect(images).toHaveLength(pages);
    for (const image of images) {
      expect(readFileSync(path.join(dir, image)).subarray(1, 4).toString()).toBe('PNG');
      // A blank A4 page at 40 dpi compresses to well under this; text makes it larger.
      expect(statSync(path.join(dir, image)).size).toBeGreaterThan(1_500);
    }
  });
});

describe('VerifyCeremonyTranscript', () => {
  it('accepts the export as it is, with the instance key or the given one', async () => {
    expect(await verifyAll(exported)).toEqual({ Valid: true, SignatureValid: true, PdfValid: true, CeremonyId: sampleCeremony().CeremonyId, Reason: null });
    const jsonOnly = await transcripts.verify({ Json: exported.Json, Signature: exported.Signature, SigningPublicKey: exported.SigningPublicKey });
    expect(jsonOnly).toMatchObject({ Valid: true, SignatureValid: true, PdfValid: null });
  });

  it('refuses one byte changed in the JSON', async () => {
    const result = await verifyAll(exported, { Json: exported.Json.replace('"alice"', '"alicf"') });
    expect(result).toMatchObject({ Valid: false, SignatureValid: false });
    // The PDF no longer matches the (changed) JSON either.
    expect(result.PdfValid).toBe(false);
  });

  it('refuses one byte changed in the PDF', async () => {
    const result = await verifyAll(exported, { Pdf: flipByte(exported.Pdf, (length) => Math.floor(length / 2)) });
    expect(result).toMatchObject({ Valid: false, SignatureValid: true, PdfValid: false });
    expect(result.Reason).toMatch(/PDF signature does not match/);
  });

  it('refuses one byte changed in either signature', async () => {
    const json = await verifyAll(exported, { Signature: flipByte(exported.Signature, (length) => length - 5) });
    expect(json).toMatchObject({ Valid: false, SignatureValid: false, PdfValid: true });
    const pdf = await verifyAll(exported, { PdfSignature: flipByte(exported.PdfSignature, (length) => length - 5) });
    expect(pdf).toMatchObject({ Valid: false, SignatureValid: true, PdfValid: false });
  });

  it('refuses a validly signed PDF that is not the one rendered from the JSON', async () => {
    const other = sampleCeremony();
    other.Steps[1]?.Outputs.splice(0, 1, { Name: 'KeyId', Kind: 'VALUE', Value: 'key-ffffffff-0000-0000-0000-000000000000' });
    const otherExport = await transcripts.export(other, SAMPLE_SCRIPT, { fromSequence: 2, toSequence: 4 }, REQUEST);
    const result = await verifyAll(exported, { Pdf: otherExport.Pdf, PdfSignature: otherExport.PdfSignature });
    expect(result).toMatchObject({ Valid: false, SignatureValid: true, PdfValid: false, Reason: 'the PDF is not the one rendered from this JSON' });
  });

  it('reports malformed JSON as not valid, with the reason, and needs PdfSignature with a PDF', async () => {
    const malformed = await transcripts.verify({ Json: '{"Format": 1}', Signature: exported.Signature });
    expect(malformed).toMatchObject({ Valid: false, SignatureValid: false, CeremonyId: null });
    expect(malformed.Reason).toMatch(/not a ceremony transcript/);
    const error = await transcripts.verify({ Json: exported.Json, Signature: exported.Signature, Pdf: exported.Pdf }).catch((caught: unknown) => caught);
    expect(errorCodeOf(error)).toBe('MissingParameter');
  });

  it('refuses with Forbidden.KeyStoreState when the instance knows no signing key and none is given', async () => {
    const emptyDir = mkdtempSync(path.join(work, 'empty-'));
    const emptyRegistry = openRegistry({ file: path.join(emptyDir, 'registry.sqlite') });
    try {
      const context: ServiceContext = { registry: emptyRegistry, hsm, dataDir: emptyDir, softHsmModulePath: SOFTHSM_MODULE_PATH, now: () => new Date() };
      const audit = new AuditTrail(context, writer);
      const locked = new CeremonyTranscripts(context, new AuditSigningKey(context, new KeyStoreConnections(), audit), audit);
      const verifyError = await locked.verify({ Json: exported.Json, Signature: exported.Signature }).catch((caught: unknown) => caught);
      expect(errorCodeOf(verifyError)).toBe('Forbidden.KeyStoreState');
      const exportError = await locked.export(sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 1, toSequence: 1 }, REQUEST).catch((caught: unknown) => caught);
      expect(errorCodeOf(exportError)).toBe('Forbidden.KeyStoreState');
      // With the key given, this instance checks the transcript all the same.
      expect((await locked.verify({ Json: exported.Json, Signature: exported.Signature, SigningPublicKey: exported.SigningPublicKey })).Valid).toBe(true);
    } finally {
      emptyRegistry.close();
    }
  });
});

describe('VerifyCeremonyTranscript through the dispatcher of the reopened instance', () => {
  beforeAll(async () => {
    await closeOutside();
    // The default key store stays locked: the instance checks with the signing key it cached.
    reopened = await createTestCore(dataDir);
  });

  it('accepts the export and refuses a PDF with one byte changed', async () => {
    const input = { Json: exported.Json, Signature: exported.Signature, Pdf: exported.Pdf, PdfSignature: exported.PdfSignature };
    expect(await reopened?.call('VerifyCeremonyTranscript', input)).toMatchObject({ Valid: true, SignatureValid: true, PdfValid: true, CeremonyId: sampleCeremony().CeremonyId });
    const changed = await reopened?.call('VerifyCeremonyTranscript', { ...input, Pdf: flipByte(exported.Pdf, (length) => length - 40) });
    expect(changed).toMatchObject({ Valid: false, PdfValid: false });
  });
});
