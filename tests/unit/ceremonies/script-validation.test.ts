/**
 * Script validation, on import: every rule of the template language refused with
 * InvalidCeremonyScript naming the step and field, hostile texts (huge, deeply nested, long junk)
 * refused cheaply and without being echoed, and a valid script's hash being that of its canonical
 * JSON whatever the key order or whitespace of the text.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CEREMONY_SCRIPT_BYTES, type CeremonyScriptInput } from '../../../shared/contract';
import { KmsError } from '../../../shared/errors';
import { canonicalJson } from '../../../electron/main/registry';
import { jsonTextDepth, validateScriptText, validateScriptValue } from '../../../electron/main/services/ceremonies/script-validation';

type StepInput = CeremonyScriptInput['Steps'][number];

function script(steps: StepInput[], extra: Partial<CeremonyScriptInput> = {}): CeremonyScriptInput {
  return { Name: 'test-script', Title: 'Test', Roles: [{ Role: 'CEREMONY_ADMINISTRATOR', Count: 1 }, { Role: 'WITNESS', Count: 2 }], Steps: steps, ...extra };
}

const confirm: StepInput = { StepId: 'confirm', Title: 'Confirm', Instructions: 'Look.' };
const createCluster: StepInput = {
  StepId: 'create-cluster',
  Title: 'Create',
  Instructions: 'Create it.',
  Operation: 'CreateCluster',
  Input: { ClusterName: '${Name}' },
  Parameters: [{ Name: 'Name', Label: 'Name' }],
  Outputs: [
    { Name: 'ClusterId', From: 'ClusterId' },
    { Name: 'StateSha', From: 'State', Kind: 'SHA256' },
  ],
};
const initialize: StepInput = {
  StepId: 'initialize',
  Title: 'Initialize',
  Instructions: 'Type the SO PIN.',
  Operation: 'InitializeCluster',
  Input: { ClusterId: '${steps.create-cluster.ClusterId}', SoPin: '${secret:SoPin}' },
  Parameters: [{ Name: 'SoPin', Label: 'SO PIN', Secret: true }],
  WitnessSignOffs: 2,
};

function refusalOf(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    validateScriptText(text);
  } catch (error) {
    if (error instanceof KmsError && error.code === 'InvalidCeremonyScript') return error.message;
    throw error;
  }
  throw new Error('expected InvalidCeremonyScript');
}

describe('validateScriptText', () => {
  it('accepts a valid script and hashes its canonical JSON (defaults applied), whatever the text’s layout', () => {
    const value = script([confirm, createCluster, initialize]);
    const compact = validateScriptText(JSON.stringify(value));
    const pretty = validateScriptText(JSON.stringify({ Steps: value.Steps, Roles: value.Roles, Title: value.Title, Name: value.Name }, null, 4));
    expect(pretty.sha256).toBe(compact.sha256);
    expect(compact.sha256).toBe(createHash('sha256').update(canonicalJson(compact.script)).digest('hex'));
    expect(compact.script.Steps[0]).toMatchObject({ WitnessSignOffs: 0, Parameters: [], Outputs: [] });
    expect(compact.script.Description).toBe('');
  });

  it.each<[string, StepInput[], string]>([
    ['a duplicate StepId', [confirm, { ...confirm, Title: 'Again' }], 'Step confirm: StepId is used twice'],
    ['an unknown operation', [{ ...confirm, Operation: 'MineBitcoin' }], 'Step confirm, Operation: "MineBitcoin" is not a Keyward operation'],
    ['a ceremony operation', [{ ...confirm, Operation: 'StartCeremony', Input: { ScriptName: 'test-script' } }], 'StartCeremony cannot run inside a ceremony'],
    ['CreateBackup (exclusive write gate)', [{ ...confirm, Operation: 'CreateBackup' }], 'CreateBackup cannot run inside a ceremony'],
    ['RestoreBackup', [{ ...confirm, Operation: 'RestoreBackup' }], 'RestoreBackup cannot run inside a ceremony'],
    ['ExecuteApprovedRequest', [{ ...confirm, Operation: 'ExecuteApprovedRequest' }], 'ExecuteApprovedRequest cannot run inside a ceremony'],
    ['ApproveRequest', [{ ...confirm, Operation: 'ApproveRequest' }], 'ApproveRequest cannot run inside a ceremony'],
    ['an operation that handles a file', [{ ...confirm, Operation: 'VerifyBackup' }], 'cannot run inside a ceremony'],
    ['Input without an Operation', [{ ...confirm, Input: { ClusterId: 'x' } }], 'Step confirm: Input without an Operation'],
    ['Outputs without an Operation', [{ ...confirm, Outputs: [{ Name: 'A', From: 'A' }] }], 'Step confirm: Outputs without an Operation'],
    ['an Input field the operation does not have', [{ ...createCluster, Input: { ClusterName: '${Name}', Colour: 'red' } }], 'Step create-cluster, Input: "Colour" is not a field of CreateCluster'],
    ['an undeclared placeholder', [{ ...createCluster, Input: { ClusterName: '${Name}', Description: 'by ${Who}' } }], 'Step create-cluster, field Description: parameter "Who" is not declared'],
    ['a declared parameter never used', [{ ...createCluster, Parameters: [{ Name: 'Name', Label: 'N' }, { Name: 'Spare', Label: 'S' }] }], '"Spare" is declared but not used'],
    ['a parameter declared twice', [{ ...createCluster, Parameters: [{ Name: 'Name', Label: 'N' }, { Name: 'Name', Label: 'N2' }] }], 'Parameters: "Name" is named twice'],
    ['a malformed placeholder', [{ ...createCluster, Input: { ClusterName: '${Name} ${not valid}' } }], 'placeholder "${not valid}" is not'],
    [
      'a secret placeholder in a non-secret field',
      [createCluster, { ...initialize, Input: { ClusterId: '${secret:SoPin}', SoPin: '${secret:SoPin}' } }],
      'Step initialize, field ClusterId: secret parameter "SoPin" may only be the whole value of a secret field',
    ],
    ['a secret placeholder inside a longer secret value', [createCluster, { ...initialize, Input: { ClusterId: 'c', SoPin: 'x${secret:SoPin}' } }], 'a secret field must be exactly'],
    ['a literal secret in the script', [createCluster, { ...initialize, Input: { ClusterId: 'c', SoPin: 'hunter22' }, Parameters: [] }], 'Step initialize, field SoPin: a secret field must be exactly'],
    ['a secret parameter used as a plain one', [{ ...createCluster, Parameters: [{ Name: 'Name', Label: 'N', Secret: true }] }], 'parameter "Name" is Secret'],
    ['a plain parameter used as a secret', [createCluster, { ...initialize, Parameters: [{ Name: 'SoPin', Label: 'SO PIN' }] }], 'parameter "SoPin" is not Secret'],
    ['a forward step reference', [initialize, createCluster], 'Step initialize, field ClusterId: output "ClusterId" of step "create-cluster": no earlier step has that StepId'],
    ['a reference to the step itself', [{ ...createCluster, Input: { ClusterName: '${steps.create-cluster.ClusterId}' }, Parameters: [] }], 'no earlier step has that StepId'],
    ['an output the earlier step does not declare', [createCluster, { ...initialize, Input: { ClusterId: '${steps.create-cluster.Nope}', SoPin: '${secret:SoPin}' } }], 'that step declares no such output'],
    ['a SHA256 output used as a value', [createCluster, { ...initialize, Input: { ClusterId: '${steps.create-cluster.StateSha}', SoPin: '${secret:SoPin}' } }], 'is a SHA256 output'],
    ['more sign-offs than witnesses', [{ ...confirm, WitnessSignOffs: 3 }], 'WitnessSignOffs 3 needs that many WITNESS participants, Roles names 2'],
    ['an unknown field in a step', [{ ...confirm, Colour: 'red' } as StepInput], 'Step confirm'],
  ])('refuses %s', (_case, steps, message) => {
    expect(refusalOf(script(steps))).toContain(message);
  });

  it('refuses bad roles: one named twice, more participants than a ceremony takes, none at all', () => {
    expect(refusalOf(script([confirm], { Roles: [{ Role: 'WITNESS', Count: 1 }, { Role: 'WITNESS', Count: 2 }] }))).toContain('Roles: WITNESS is named twice');
    const crowd = script([confirm], {
      Roles: [
        { Role: 'CEREMONY_ADMINISTRATOR', Count: 8 },
        { Role: 'WITNESS', Count: 8 },
        { Role: 'AUDITOR', Count: 1 },
      ],
    });
    expect(refusalOf(crowd)).toContain('17 participants needed');
    expect(refusalOf(script([confirm], { Roles: [] }))).toContain('Roles');
    expect(refusalOf(script([confirm], { Roles: [{ Role: 'WITNESS', Count: 0 }] }))).toContain('Roles');
  });

  it('refuses hostile texts: not JSON, not an object, too large, too deeply nested, without echoing them', () => {
    expect(refusalOf('{"Name": ')).toBe('the script is not valid JSON');
    expect(refusalOf('[]')).toContain('script');
    expect(refusalOf('null')).toContain('script');

    const huge = JSON.stringify(script([{ ...confirm, Instructions: 'x'.repeat(MAX_CEREMONY_SCRIPT_BYTES) }]));
    expect(refusalOf(huge)).toContain(`larger than ${MAX_CEREMONY_SCRIPT_BYTES} bytes`);

    // Refused from the text, before JSON.parse (or zod's recursion) walks 60 000 levels.
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    expect(refusalOf(deep)).toContain('nests deeper than 16 levels');
    let nested: unknown = 'leaf';
    for (let level = 0; level < 14; level += 1) nested = { Inner: nested };
    expect(refusalOf(script([{ ...createCluster, Input: { ClusterName: '${Name}', Description: nested } }]))).toContain('nests deeper than 16 levels');
    // Brackets inside strings are text, not nesting.
    expect(jsonTextDepth(JSON.stringify({ A: '[[[[[[[[[[[[[[[[[[[[[[', B: '\\"{{{{{{{{{{{{{{{{{{{{{{{' }))).toBe(1);

    const junkName = `${'A'.repeat(5_000)}`;
    const message = refusalOf(script([{ ...confirm, Operation: junkName }]));
    expect(message.length).toBeLessThan(300);
    const unknownKey = refusalOf({ ...script([confirm]), [junkName]: 1 });
    expect(unknownKey.length).toBeLessThan(300);
  });

  it('refuses a step count or field length past the schema’s limits', () => {
    const many = Array.from({ length: 65 }, (_item, index) => ({ ...confirm, StepId: `s${index}` }));
    expect(refusalOf(script(many))).toContain('Steps');
    expect(refusalOf(script([{ ...confirm, StepId: 'Bad Id' }]))).toContain('StepId');
  });
});

describe('validateScriptValue', () => {
  it('applies the same checks to a value as to a text', () => {
    expect(() => validateScriptValue(script([initialize, createCluster]))).toThrow(/no earlier step/);
    expect(validateScriptValue(script([createCluster, initialize])).script.Steps).toHaveLength(2);
  });
});
