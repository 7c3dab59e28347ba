/**
 * Importing and listing ceremony scripts through the dispatcher on a real core: an import is
 * audited with the script's name and hash, a name taken (by an imported or a built-in script) is
 * refused, malformed and hostile texts are refused as InvalidCeremonyScript without being stored
 * or echoed, and the list shows the built-ins first, then the imported scripts as stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/main/registry';
import { createTestCore, disposeTestCore, type TestCore } from '../../support/test-core';

const SCRIPT = {
  Name: 'site-key-check',
  Title: 'Site key check',
  Roles: [{ Role: 'WITNESS', Count: 1 }],
  Steps: [
    { StepId: 'look', Title: 'Look', Instructions: 'Check the seals.', WitnessSignOffs: 1 },
    { StepId: 'describe', Title: 'Describe the key', Instructions: 'Read the key back.', Operation: 'DescribeKey', Input: { KeyId: '${KeyId}' }, Parameters: [{ Name: 'KeyId', Label: 'Key' }], Outputs: [{ Name: 'State', From: 'KeyMetadata.KeyState' }] },
  ],
};

describe('ceremony scripts', () => {
  let t: TestCore;

  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(async () => {
    if (t) await disposeTestCore(t);
  });

  it('imports a script, audited with its name and the SHA-256 of its canonical JSON', async () => {
    const imported = await t.call('ImportCeremonyScript', { Script: JSON.stringify(SCRIPT, null, 2) });
    expect(imported).toMatchObject({ Name: 'site-key-check', Title: 'Site key check', Description: '', BuiltIn: false });
    expect(imported.Sha256).toBe(createHash('sha256').update(canonicalJson(imported.Script)).digest('hex'));
    const { Events } = await t.call('ListAuditEvents', { PageSize: 10, Filters: [{ Key: 'Operation', Values: ['ImportCeremonyScript'] }] });
    expect(Events.map((event) => [event.Outcome, event.ResourceId, event.Details])).toEqual([['SUCCESS', 'site-key-check', { Name: 'site-key-check', Sha256: imported.Sha256 }]]);
  });

  it('refuses a name already taken, by an imported script or a built-in one', async () => {
    const again = await t.fail('ImportCeremonyScript', { Script: JSON.stringify({ ...SCRIPT, Title: 'Changed' }) });
    expect(again.Code).toBe('AlreadyExists.CeremonyScript');
    const builtIn = await t.fail('ImportCeremonyScript', { Script: JSON.stringify({ ...SCRIPT, Name: 'key-destruction' }) });
    expect(builtIn.Code).toBe('AlreadyExists.CeremonyScript');
    expect(builtIn.Message).toContain('built-in');
  });

  it('refuses malformed and hostile scripts without storing them or echoing them back', async () => {
    const junk = 'Z'.repeat(5_000);
    const cases: [string, string][] = [
      ['{"Name": "x",', 'not valid JSON'],
      [`${'['.repeat(40_000)}${']'.repeat(40_000)}`, 'nests deeper than 16 levels'],
      [JSON.stringify({ ...SCRIPT, Name: 'hostile', Steps: [{ ...SCRIPT.Steps[1], Operation: 'CreateBackup' }] }), 'CreateBackup cannot run inside a ceremony'],
      [JSON.stringify({ ...SCRIPT, Name: 'hostile', Steps: [{ ...SCRIPT.Steps[1], Operation: 'RunCeremonyStep' }] }), 'RunCeremonyStep cannot run inside a ceremony'],
      [JSON.stringify({ ...SCRIPT, Name: 'hostile', Steps: [{ ...SCRIPT.Steps[1], Operation: 'MineBitcoin' }] }), 'Step describe, Operation: "MineBitcoin" is not a Keyward operation'],
      [JSON.stringify({ ...SCRIPT, Name: 'hostile', Steps: [{ ...SCRIPT.Steps[1], Operation: junk }] }), 'Step describe, field Operation'],
      [JSON.stringify({ ...SCRIPT, Name: 'hostile', [junk]: true }), 'script'],
    ];
    for (const [text, message] of cases) {
      const refused = await t.fail('ImportCeremonyScript', { Script: text });
      expect([refused.Code, refused.Message], message).toEqual(['InvalidCeremonyScript', expect.stringContaining(message)]);
      expect(refused.Message.length).toBeLessThan(400);
    }
    const tooLarge = await t.fail('ImportCeremonyScript', { Script: ' '.repeat(128 * 1024 + 1) });
    expect(tooLarge.Code).not.toBe('InternalFailure');
    const { Scripts } = await t.call('ListCeremonyScripts', {});
    expect(Scripts.map((script) => script.Name)).not.toContain('hostile');
  });

  it('lists the four built-in scripts first, then the imported ones as stored', async () => {
    const { Scripts } = await t.call('ListCeremonyScripts', {});
    expect(Scripts.map((script) => [script.Name, script.BuiltIn])).toEqual([
      ['hsm-cluster-key-store', true],
      ['root-signing-key', true],
      ['byok-import', true],
      ['key-destruction', true],
      ['site-key-check', false],
    ]);
    const stored = Scripts.at(-1);
    expect(stored?.Script.Steps[0]).toMatchObject({ StepId: 'look', WitnessSignOffs: 1, Parameters: [], Outputs: [] });
    expect(stored?.Sha256).toBe(createHash('sha256').update(canonicalJson(stored?.Script)).digest('hex'));
    for (const script of Scripts) expect(script.Sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
