/**
 * What the secrets crash driver and its suite agree on: the secrets, the stages, how a version id is
 * made and the value each version holds. Values are derived from the secret name and version id,
 * so the driver never prints one and the suite can recompute every value it reads back.
 */
import { createHash } from 'node:crypto';
import type { SecretDataType } from '../../../../shared/contract';

export const CRASH_SECRET_NAMES = ['crash/db', 'crash/api', 'crash/ssh'] as const;
/** Custom stages the driver puts versions under (with ACSCurrent and ACSPrevious: 4 of the 8 allowed). */
export const CRASH_CUSTOM_STAGES = ['Blue', 'Green'] as const;
/** The first version of every secret, made by the suite before any driver runs. */
export const INITIAL_VERSION_ID = 'r000-00000';

/** Ordered by creation: ids of later runs sort after earlier ones, and within a run by index. */
export function crashVersionId(run: number, index: number): string {
  return `r${String(run).padStart(3, '0')}-${String(index).padStart(5, '0')}`;
}

export interface CrashValue {
  SecretData: string;
  SecretDataType: SecretDataType;
}

/** The value of a version: text of 20-1,000 characters or 1-600 raw bytes, chosen by its hash. */
export function crashValue(secretName: string, versionId: string): CrashValue {
  const seed = createHash('sha256').update(`keyward-crash-secret\0${secretName}\0${versionId}`).digest();
  const stream = (length: number): Buffer => {
    const chunks: Buffer[] = [];
    for (let block = 0; chunks.length * 32 < length; block += 1) chunks.push(createHash('sha256').update(seed).update(String(block)).digest());
    return Buffer.concat(chunks).subarray(0, length);
  };
  if (seed[0]! % 3 === 0) {
    return { SecretData: stream(1 + (seed.readUInt16BE(1) % 600)).toString('base64'), SecretDataType: 'binary' };
  }
  const text = `${secretName} ${versionId}\n${stream(500).toString('hex')}`;
  return { SecretData: text.slice(0, 20 + (seed.readUInt16BE(1) % 981)), SecretDataType: 'text' };
}

/** A PutSecretValue as the driver begins it: enough to retry it exactly after a kill. */
export interface CrashPut {
  secretName: string;
  versionId: string;
  stages: string[];
  expectedCurrent: string | null;
}

/** `<secret> <version> <stage,stage> <expected|->`: one line, no value. */
export function formatPut(put: CrashPut): string {
  return `${put.secretName} ${put.versionId} ${put.stages.join(',')} ${put.expectedCurrent ?? '-'}`;
}

export function parsePut(text: string): CrashPut {
  const [secretName, versionId, stages, expected] = text.split(' ');
  if (!secretName || !versionId || !stages || !expected) throw new Error(`not a put: ${text}`);
  return { secretName, versionId, stages: stages.split(','), expectedCurrent: expected === '-' ? null : expected };
}
