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
import { currentLocale, t } from '../i18n';
import '../i18n/areas/secrets';

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

/** The contract's own rule messages (shared/contract), by the catalogue key that says them. */
const RULE_KEYS: Readonly<Record<string, string>> = {
  'must be 1-192 characters of A-Z a-z 0-9 _ / + = . @ -': 'secrets.form.rule.secretName',
  'must be 1-64 characters of A-Z a-z 0-9 _ . -': 'secrets.form.rule.versionOrStage',
  'must not start with acs: or aliyun': 'secrets.form.rule.tagPrefix',
  'must not be "__proto__"': 'secrets.form.rule.proto',
};

/** The first problem the schema finds, in the console's language when the contract's rule is known. */
function firstProblem(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) return '';
  const message = result.error.issues[0]?.message;
  if (message === undefined) return t('secrets.form.invalid');
  const key = RULE_KEYS[message];
  return key ? t(key) : message;
}

/** '' when the contract accepts the name. */
export function secretNameProblem(name: string): string {
  const problem = firstProblem(secretNameSchema, name);
  return problem ? t('secrets.form.nameProblem', { problem }) : '';
}

export function versionIdProblem(versionId: string): string {
  const problem = firstProblem(secretVersionIdSchema, versionId);
  return problem ? t('secrets.form.versionIdProblem', { problem }) : '';
}

export function stageNameProblem(stage: string): string {
  const problem = firstProblem(versionStageSchema, stage);
  return problem ? t('secrets.form.stageProblem', { problem }) : '';
}

/** Rows that are not entirely blank: a blank row is where the officer has not typed yet. */
function filledRows(rows: readonly KeyValueRow[]): KeyValueRow[] {
  return rows.filter((row) => row.key !== '' || row.value !== '');
}

/** Key/value rows as the text of a JSON object of strings, in row order. */
export function rowsToJson(rows: readonly KeyValueRow[]): Checked<string> {
  const filled = filledRows(rows);
  if (!filled.length) return { ok: false, problem: t('secrets.form.addKey') };
  const seen = new Set<string>();
  const entries: [string, string][] = [];
  for (const [index, row] of filled.entries()) {
    const key = row.key.trim();
    if (!key) return { ok: false, problem: t('secrets.form.rowWithoutKey', { row: index + 1 }) };
    if (seen.has(key)) return { ok: false, problem: t('secrets.form.keyTwice', { key }) };
    seen.add(key);
    entries.push([key, row.value]);
  }
  return { ok: true, value: JSON.stringify(Object.fromEntries(entries)) };
}

function sized(payload: SecretPayload): Checked<SecretPayload> {
  const bytes = secretDataBytes(payload.SecretData, payload.SecretDataType);
  if (bytes === null) return { ok: false, problem: t('secrets.form.notEncoded') };
  if (bytes < 1) return { ok: false, problem: t('secrets.form.empty') };
  if (bytes > MAX_SECRET_BYTES) {
    const locale = currentLocale();
    return { ok: false, problem: t('secrets.form.tooLarge', { bytes: bytes.toLocaleString(locale), max: MAX_SECRET_BYTES.toLocaleString(locale) }) };
  }
  return { ok: true, value: payload };
}

/** The SecretData and SecretDataType the draft stands for, or what keeps it from being stored. */
export function secretPayload(draft: SecretValueDraft): Checked<SecretPayload> {
  if (draft.mode === 'binary') {
    if (!draft.file) return { ok: false, problem: t('secrets.form.chooseFile') };
    return sized({ SecretData: draft.file.base64, SecretDataType: 'binary' });
  }
  if (draft.mode === 'json') {
    const json = rowsToJson(draft.rows);
    return json.ok ? sized({ SecretData: json.value, SecretDataType: 'text' }) : json;
  }
  if (!draft.text) return { ok: false, problem: t('secrets.form.typeValue') };
  return sized({ SecretData: draft.text, SecretDataType: 'text' });
}

export type SecretTag = z.input<typeof tagSchema>;

/** Tag rows as CreateSecret's Tags, judged by the contract's tag schema. */
export function rowsToTags(rows: readonly KeyValueRow[]): Checked<SecretTag[]> {
  const tags: SecretTag[] = [];
  const seen = new Set<string>();
  for (const row of filledRows(rows)) {
    const tag = { TagKey: row.key.trim(), TagValue: row.value };
    if (!tag.TagKey) return { ok: false, problem: t('secrets.form.tagWithoutKey') };
    const problem = firstProblem(tagSchema, tag);
    if (problem) return { ok: false, problem: t('secrets.form.tagProblem', { key: tag.TagKey, problem }) };
    if (seen.has(tag.TagKey)) return { ok: false, problem: t('secrets.form.tagTwice', { key: tag.TagKey }) };
    seen.add(tag.TagKey);
    tags.push(tag);
  }
  return { ok: true, value: tags };
}
