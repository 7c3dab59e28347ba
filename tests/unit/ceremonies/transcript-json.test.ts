/**
 * The transcript JSON: built from the ceremony's record with the hashes of the first and last
 * audit records it spans (read from a real registry), written the same way whatever order the
 * records were assembled in, and read back without throwing on anything malformed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../../../electron/main/registry';
import { buildTranscript, parseTranscript, transcriptJson } from '../../../electron/main/services/ceremonies/transcript/transcript-json';
import type { Ceremony } from '../../../shared/contract';
import { sampleCeremony, SAMPLE_SCRIPT } from '../../support/ceremony-transcript-sample';
import { removeDir } from '../../support/test-core';

let dir: string;
let registry: Registry;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'keyward-transcript-json-'));
  registry = openRegistry({ file: path.join(dir, 'registry.sqlite') });
  for (let index = 0; index < 4; index += 1) {
    registry.audit.append({ operation: 'CreateKey', actor: 'alice', transport: 'internal', resourceId: `key-${index}`, outcome: 'SUCCESS', requestId: `r${index}` });
  }
});

afterAll(() => {
  registry?.close();
  if (dir) removeDir(dir);
});

/** The same record with every object's keys in reverse order: how another query might assemble it. */
function reversed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)])) as T;
}

describe('building the transcript', () => {
  it('names the audit range with the hashes of its first and last records and the signing key', () => {
    const transcript = buildTranscript({ registry }, sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 2, toSequence: 4 }, 'ef'.repeat(32));
    expect(transcript.Format).toBe('keyward-ceremony-transcript/1');
    expect(transcript.AuditRange).toEqual({ FromSequence: 2, ToSequence: 4, FromHash: registry.audit.get(2)?.hash, ToHash: registry.audit.get(4)?.hash });
    expect(transcript.AuditRange.FromHash).toMatch(/^[0-9a-f]{64}$/);
    expect(transcript.AuditRange.FromHash).not.toBe(transcript.AuditRange.ToHash);
    expect(transcript.SigningKeySha256).toBe('ef'.repeat(32));
  });

  it('refuses a range naming a record the log does not hold', () => {
    expect(() => buildTranscript({ registry }, sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 2, toSequence: 99 }, 'ef'.repeat(32))).toThrow(/#99/);
  });

  it('writes the same bytes whatever order the record was assembled in, keys in the schema order', () => {
    const range = { fromSequence: 1, toSequence: 3 };
    const json = transcriptJson(buildTranscript({ registry }, sampleCeremony(), SAMPLE_SCRIPT, range, 'ef'.repeat(32)));
    const fromReversed = transcriptJson(buildTranscript({ registry }, reversed<Ceremony>(sampleCeremony()), reversed(SAMPLE_SCRIPT), range, 'ef'.repeat(32)));
    expect(fromReversed).toBe(json);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['Format', 'Ceremony', 'Script', 'AuditRange', 'SigningKeySha256']);
    expect(json.startsWith('{\n  "Format": "keyward-ceremony-transcript/1",\n  "Ceremony": {\n    "CeremonyId": ')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('drops fields the transcript schema does not name', () => {
    const ceremony = { ...sampleCeremony(), Internal: 'not for the transcript' };
    const json = transcriptJson(buildTranscript({ registry }, ceremony, SAMPLE_SCRIPT, { fromSequence: 1, toSequence: 1 }, 'ef'.repeat(32)));
    expect(json).not.toContain('Internal');
  });
});

describe('reading a transcript back', () => {
  const json = (): string => transcriptJson(buildTranscript({ registry }, sampleCeremony(), SAMPLE_SCRIPT, { fromSequence: 1, toSequence: 4 }, 'ef'.repeat(32)));

  it('reads what it wrote', () => {
    const parsed = parseTranscript(json());
    expect(parsed.reason).toBeNull();
    expect(parsed.transcript?.Ceremony.CeremonyId).toBe(sampleCeremony().CeremonyId);
    expect(transcriptJson(parsed.transcript ?? (null as never))).toBe(json());
  });

  it('says why, without throwing, when the text is not JSON or not a transcript', () => {
    expect(parseTranscript('{"Format": ').reason).toBe('the JSON does not parse');
    expect(parseTranscript('[]').reason).toMatch(/not a ceremony transcript/);
    const wrongFormat = json().replace('keyward-ceremony-transcript/1', 'keyward-ceremony-transcript/2');
    expect(parseTranscript(wrongFormat)).toEqual({ transcript: null, reason: expect.stringContaining('Format') });
    const noSteps = JSON.stringify({ ...(JSON.parse(json()) as object), SigningKeySha256: 7 });
    expect(parseTranscript(noSteps).reason).toMatch(/SigningKeySha256/);
  });
});
