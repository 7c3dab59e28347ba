/**
 * The ceremony transcript as signed: built only from the ceremony's record, its script, the audit
 * records it spans and the signing key (no clock), and written the same way every time, so one
 * ceremony always gives the same bytes.
 */
import { ceremonyTranscriptSchema, type Ceremony, type CeremonyScript, type CeremonyTranscript } from '../../../../../shared/contract';
import { KmsError } from '../../../../../shared/errors';
import type { ServiceContext } from '../../service-context';

export const TRANSCRIPT_FORMAT = 'keyward-ceremony-transcript/1';

export interface TranscriptAuditRange {
  fromSequence: number;
  toSequence: number;
}

function auditHash(context: Pick<ServiceContext, 'registry'>, sequence: number): string {
  const record = context.registry.audit.get(sequence);
  // The range comes from the ceremony's own records: one missing means the log lost a record.
  if (!record) throw new KmsError('InternalFailure', `Audit record #${sequence} of the ceremony is missing from the audit log.`);
  return record.hash;
}

export function buildTranscript(
  context: Pick<ServiceContext, 'registry'>,
  ceremony: Ceremony,
  script: CeremonyScript,
  range: TranscriptAuditRange,
  signingKeySha256: string,
): CeremonyTranscript {
  const transcript = {
    Format: TRANSCRIPT_FORMAT,
    Ceremony: ceremony,
    Script: script,
    AuditRange: {
      FromSequence: range.fromSequence,
      ToSequence: range.toSequence,
      FromHash: auditHash(context, range.fromSequence),
      ToHash: auditHash(context, range.toSequence),
    },
    SigningKeySha256: signingKeySha256,
  };
  // Parsing puts every object the schema describes in the schema's key order (and drops fields it
  // does not name); the free-form operation inputs get sorted keys. Either way the bytes do not
  // depend on the order the records were assembled in.
  const parsed = ceremonyTranscriptSchema.parse(transcript);
  for (const step of parsed.Ceremony.Steps) step.Input = step.Input === null ? null : sortedKeys(step.Input);
  for (const step of parsed.Script.Steps) if (step.Input !== undefined) step.Input = sortedKeys(step.Input);
  return parsed;
}

function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)])) as T;
}

/** Two-space indented JSON with a final newline: the bytes that are signed. */
export function transcriptJson(transcript: CeremonyTranscript): string {
  return `${JSON.stringify(transcript, null, 2)}\n`;
}

/** The transcript in a JSON text, or why it is not one (never throws). */
export function parseTranscript(json: string): { transcript: CeremonyTranscript; reason: null } | { transcript: null; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { transcript: null, reason: 'the JSON does not parse' };
  }
  const parsed = ceremonyTranscriptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(top level)' : '(top level)';
    return { transcript: null, reason: `the JSON is not a ceremony transcript (${where}: ${issue?.message ?? 'invalid'})` };
  }
  return { transcript: parsed.data, reason: null };
}
