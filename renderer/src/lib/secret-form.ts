import {
  MAX_SECRET_BYTES,
  secretDataBytes,
  secretNameSchema,
  secretVersionIdSchema,
  tagSchema,
  versionStageSchema,
  type SecretDataType,
} from '../../../shared/contract';
import type { z } from 'zod';

/**
 * The create and put-value forms: what the officer typed, chose or loaded becomes SecretData.
 * Problems never quote the value: it is a secret.
 */

export interface KeyValueRow {
  key: string;
  value: string;
}

export type SecretValueMode = 'text' | 'json' | 'binary';

export interface BinaryFile {
  name: string;
  bytes: number;
  base64: string;
}

export interface SecretValueDraft {
  mode: SecretValueMode;
  text: string;
  rows: KeyValueRow[];
  file: BinaryFile | null;
}

export interface SecretPayload {
  SecretData: string;
  SecretDataType: SecretDataType;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export function emptyDraft(): SecretValueDraft {
  return { mode: 'text', text: '', rows: [{ key: '', value: '' }], file: null };
}

function firstProblem(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  return result.success ? '' : (result.error.issues[0]?.message ?? 'is not valid');
}

/** '' when the contract accepts the name. */
export function secretNameProblem(name: string): string {
  const problem = firstProblem(secretNameSchema, name);
  return problem ? `The name ${problem}.` : '';
}

export function versionIdProblem(versionId: string): string {
  const problem = firstProblem(secretVersionIdSchema, versionId);
  return problem ? `The version id ${problem}.` : '';
}

export function stageNameProblem(stage: string): string {
  const problem = firstProblem(versionStageSchema, stage);
  return problem ? `The stage name ${problem}.` : '';
}

/** Rows that are not entirely blank: a blank row is where the officer has not typed yet. */
function filledRows(rows: readonly KeyValueRow[]): KeyValueRow[] {
  return rows.filter((row) => row.key !== '' || row.value !== '');
}

/** Key/value rows as the text of a JSON object of strings, in row order. */
export function rowsToJson(rows: readonly KeyValueRow[]): Checked<string> {
  const filled = filledRows(rows);
  if (!filled.length) return { ok: false, problem: 'Add at least one key.' };
  const seen = new Set<string>();
  const entries: [string, string][] = [];
  for (const [index, row] of filled.entries()) {
    const key = row.key.trim();
    if (!key) return { ok: false, problem: `Row ${index + 1} has a value but no key.` };
    if (seen.has(key)) return { ok: false, problem: `The key "${key}" appears twice.` };
    seen.add(key);
    entries.push([key, row.value]);
  }
  return { ok: true, value: JSON.stringify(Object.fromEntries(entries)) };
}

function sized(payload: SecretPayload): Checked<SecretPayload> {
  const bytes = secretDataBytes(payload.SecretData, payload.SecretDataType);
  if (bytes === null) return { ok: false, problem: 'The file could not be encoded.' };
  if (bytes < 1) return { ok: false, problem: 'The value is empty.' };
  if (bytes > MAX_SECRET_BYTES) {
    return { ok: false, problem: `The value is ${bytes.toLocaleString('en-US')} bytes; at most ${MAX_SECRET_BYTES.toLocaleString('en-US')} are stored.` };
  }
  return { ok: true, value: payload };
}

/** The SecretData and SecretDataType the draft stands for, or what keeps it from being stored. */
export function secretPayload(draft: SecretValueDraft): Checked<SecretPayload> {
  if (draft.mode === 'binary') {
    if (!draft.file) return { ok: false, problem: 'Choose a file.' };
    return sized({ SecretData: draft.file.base64, SecretDataType: 'binary' });
  }
  if (draft.mode === 'json') {
    const json = rowsToJson(draft.rows);
    return json.ok ? sized({ SecretData: json.value, SecretDataType: 'text' }) : json;
  }
  if (!draft.text) return { ok: false, problem: 'Type or generate a value.' };
  return sized({ SecretData: draft.text, SecretDataType: 'text' });
}

export type SecretTag = z.input<typeof tagSchema>;

/** Tag rows as CreateSecret's Tags, judged by the contract's tag schema. */
export function rowsToTags(rows: readonly KeyValueRow[]): Checked<SecretTag[]> {
  const tags: SecretTag[] = [];
  const seen = new Set<string>();
  for (const row of filledRows(rows)) {
    const tag = { TagKey: row.key.trim(), TagValue: row.value };
    if (!tag.TagKey) return { ok: false, problem: 'A tag has a value but no key.' };
    const problem = firstProblem(tagSchema, tag);
    if (problem) return { ok: false, problem: `Tag "${tag.TagKey}": ${problem}.` };
    if (seen.has(tag.TagKey)) return { ok: false, problem: `The tag "${tag.TagKey}" appears twice.` };
    seen.add(tag.TagKey);
    tags.push(tag);
  }
  return { ok: true, value: tags };
}
