import { describe, expect, it } from 'vitest';
import { MAX_SECRET_BYTES, secretNameSchema } from '../../../shared/contract';
import { emptyDraft, rowsToJson, rowsToTags, secretNameProblem, secretPayload, stageNameProblem, versionIdProblem } from '../../../renderer/src/lib/secret-form';

describe('the secret forms: what the officer typed becomes SecretData', () => {
  it('judges names exactly as the contract does', () => {
    for (const name of ['prod/db/root', 'a+b=c.d@e-f_g', '', 'has space', 'ü', 'x'.repeat(192), 'x'.repeat(193)]) {
      expect(secretNameProblem(name) === '', name).toBe(secretNameSchema.safeParse(name).success);
    }
    expect(versionIdProblem('v1')).toBe('');
    expect(versionIdProblem('v 1')).toMatch(/^The version id must be/);
    expect(stageNameProblem('AWSPENDING')).toBe('');
    expect(stageNameProblem('')).not.toBe('');
  });

  it('turns key/value rows into a JSON object of strings, skipping blank rows', () => {
    const json = rowsToJson([
      { key: 'username', value: 'root' },
      { key: '', value: '' },
      { key: ' host ', value: 'db.example' },
    ]);
    expect(json).toEqual({ ok: true, value: '{"username":"root","host":"db.example"}' });
  });

  it('refuses rows without a key, repeated keys and an empty object', () => {
    expect(rowsToJson([{ key: '', value: 'orphan' }])).toEqual({ ok: false, problem: 'Row 1 has a value but no key.' });
    expect(rowsToJson([{ key: 'a', value: '1' }, { key: 'a ', value: '2' }])).toMatchObject({ ok: false, problem: 'The key "a" appears twice.' });
    expect(rowsToJson([{ key: '', value: '' }])).toMatchObject({ ok: false });
  });

  it('builds text, JSON and binary payloads and never quotes the value in a problem', () => {
    expect(secretPayload({ ...emptyDraft(), text: 'hunter2' })).toEqual({ ok: true, value: { SecretData: 'hunter2', SecretDataType: 'text' } });
    expect(secretPayload({ ...emptyDraft(), mode: 'json', rows: [{ key: 'k', value: 'v' }] })).toEqual({
      ok: true,
      value: { SecretData: '{"k":"v"}', SecretDataType: 'text' },
    });
    expect(secretPayload({ ...emptyDraft(), mode: 'binary', file: { name: 'id_ed25519', bytes: 3, base64: 'AQID' } })).toEqual({
      ok: true,
      value: { SecretData: 'AQID', SecretDataType: 'binary' },
    });
    expect(secretPayload({ ...emptyDraft(), mode: 'binary' })).toEqual({ ok: false, problem: 'Choose a file.' });
    expect(secretPayload(emptyDraft())).toMatchObject({ ok: false });

    const tooLong = `canary-${'x'.repeat(MAX_SECRET_BYTES)}`;
    const refused = secretPayload({ ...emptyDraft(), text: tooLong });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.problem).toMatch(/at most 30,720/);
      expect(refused.problem).not.toContain('canary');
    }
    // UTF-8 bytes count, not characters.
    expect(secretPayload({ ...emptyDraft(), text: 'é'.repeat(MAX_SECRET_BYTES / 2) }).ok).toBe(true);
    expect(secretPayload({ ...emptyDraft(), text: 'é'.repeat(MAX_SECRET_BYTES / 2 + 1) }).ok).toBe(false);
  });

  it('checks tags with the contract tag schema', () => {
    expect(rowsToTags([{ key: '', value: '' }])).toEqual({ ok: true, value: [] });
    expect(rowsToTags([{ key: 'team', value: 'ops' }])).toEqual({ ok: true, value: [{ TagKey: 'team', TagValue: 'ops' }] });
    expect(rowsToTags([{ key: 'acs:x', value: '' }])).toMatchObject({ ok: false, problem: expect.stringMatching(/acs:/) });
    expect(rowsToTags([{ key: '', value: 'v' }])).toEqual({ ok: false, problem: 'A tag has a value but no key.' });
    expect(rowsToTags([{ key: 't', value: '1' }, { key: 't', value: '2' }])).toMatchObject({ ok: false });
  });
});
