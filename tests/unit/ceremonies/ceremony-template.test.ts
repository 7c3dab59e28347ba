/**
 * Filling a step's input template: whole placeholders take the value as is, embedded ones are
 * substituted textually at any depth, secrets go only into the secret fields and never into what
 * is recorded, and a missing value is named without being shown.
 */
import { describe, expect, it } from 'vitest';
import { ceremonyStepSchema, type CeremonyStep } from '../../../shared/contract';
import { KmsError } from '../../../shared/errors';
import { fillTemplate, parsePlaceholder, placeholdersIn, type TemplateValues } from '../../../electron/main/services/ceremonies/ceremony-template';

const SECRET = 'So-Pin-4711-very-secret';

function step(fields: Partial<CeremonyStep>): CeremonyStep {
  return ceremonyStepSchema.parse({ StepId: 'the-step', Title: 'A step', Instructions: 'Do it.', ...fields });
}

const values: TemplateValues = {
  parameters: { ClusterName: 'Vault A', Zone: 'zone-a', Empty: '' },
  secrets: { SoPin: SECRET, KmsuserPassword: 'Kmsuser2026pw' },
  outputs: { 'create-cluster': { ClusterId: 'cls-1234' } },
};

function refusal(run: () => unknown): KmsError {
  try {
    run();
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('expected a KmsError');
}

describe('fillTemplate', () => {
  it('gives a field that takes a number the number a whole placeholder names, and leaves string fields and embedded placeholders as text', () => {
    const days = { ...values, parameters: { ...values.parameters, Days: '7', Note: '7' } };
    const filled = fillTemplate(step({ Operation: 'ScheduleKeyDeletion', Input: { KeyId: '${Note}', PendingWindowInDays: '${Days}' }, Parameters: [{ Name: 'Days', Label: 'Days', Secret: false }, { Name: 'Note', Label: 'Note', Secret: false }] }), days);
    expect(filled.input).toEqual({ KeyId: '7', PendingWindowInDays: 7 });
    const embedded = fillTemplate(step({ Operation: 'ScheduleKeyDeletion', Input: { PendingWindowInDays: '${Days} ' } }), days);
    expect(embedded.input).toEqual({ PendingWindowInDays: '7 ' });
    const notANumber = fillTemplate(step({ Operation: 'ScheduleKeyDeletion', Input: { PendingWindowInDays: '${Zone}' } }), days);
    expect(notANumber.input).toEqual({ PendingWindowInDays: 'zone-a' });
  });

  it('takes a whole placeholder as the value and substitutes embedded ones textually, at any depth', () => {
    const filled = fillTemplate(
      step({
        Operation: 'CreateCluster',
        Input: {
          ClusterName: '${ClusterName}',
          Description: 'Cluster ${ClusterName} (${steps.create-cluster.ClusterId}) in ${Zone}',
          AllowSingleHsm: false,
          Nested: { List: ['${Zone}', 7, { Deep: 'x-${Zone}-y' }] },
        },
      }),
      values,
    );
    expect(filled.input).toEqual({
      ClusterName: 'Vault A',
      Description: 'Cluster Vault A (cls-1234) in zone-a',
      AllowSingleHsm: false,
      Nested: { List: ['zone-a', 7, { Deep: 'x-zone-a-y' }] },
    });
    expect(filled.recorded).toEqual(filled.input);
  });

  it('puts secrets into the operation’s secret fields only, and leaves every secret field out of the recorded input', () => {
    const filled = fillTemplate(
      step({ Operation: 'CreateCryptoUser', Input: { ClusterId: '${steps.create-cluster.ClusterId}', UserName: 'kmsuser', Password: '${secret:KmsuserPassword}', SoPin: '${secret:SoPin}' } }),
      values,
    );
    expect(filled.input).toEqual({ ClusterId: 'cls-1234', UserName: 'kmsuser', Password: 'Kmsuser2026pw', SoPin: SECRET });
    expect(filled.recorded).toEqual({ ClusterId: 'cls-1234', UserName: 'kmsuser' });
    expect(JSON.stringify(filled.recorded)).not.toContain(SECRET);
  });

  it('keeps an empty parameter value (given, only empty) and a step without Input fills to nothing', () => {
    expect(fillTemplate(step({ Operation: 'CreateCluster', Input: { Description: '${Empty}' } }), values).input).toEqual({ Description: '' });
    expect(fillTemplate(step({}), values)).toEqual({ input: {}, recorded: {} });
  });

  it('refuses a missing parameter, secret or output with MissingParameter naming it, never showing any value', () => {
    const cases: [Partial<CeremonyStep>, string][] = [
      [{ Operation: 'CreateCluster', Input: { ClusterName: '${Missing}' } }, 'parameter "Missing"'],
      [{ Operation: 'InitializeCluster', Input: { ClusterId: 'c', SoPin: '${secret:OtherPin}' } }, 'secret parameter "OtherPin"'],
      [{ Operation: 'ActivateCluster', Input: { ClusterId: '${steps.create-cluster.Nope}' } }, 'output "Nope" of step "create-cluster"'],
      [{ Operation: 'ActivateCluster', Input: { ClusterId: '${steps.later-step.ClusterId}' } }, 'output "ClusterId" of step "later-step"'],
      // Names that exist on Object.prototype are not values.
      [{ Operation: 'CreateCluster', Input: { ClusterName: '${constructor}' } }, 'parameter "constructor"'],
    ];
    for (const [fields, named] of cases) {
      const error = refusal(() => fillTemplate(step(fields), values));
      expect(error.code).toBe('MissingParameter');
      expect(error.message).toContain(named);
      expect(error.message).toContain('the-step');
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('Kmsuser2026pw');
    }
  });

  it('never splices a secret into a non-secret field or into a longer string, whatever the script says', () => {
    for (const Input of [{ ClusterId: '${secret:SoPin}' }, { ClusterId: 'x', SoPin: 'pin-${secret:SoPin}' }]) {
      const error = refusal(() => fillTemplate(step({ Operation: 'InitializeCluster', Input }), values));
      expect(error.code).toBe('InvalidCeremonyScript');
      expect(error.message).not.toContain(SECRET);
    }
  });
});

describe('placeholders', () => {
  it('parses the three kinds and calls anything else malformed', () => {
    expect(placeholdersIn('a ${x} b ${secret:Pin} c ${steps.make-key.KeyId}')).toEqual([
      { kind: 'parameter', name: 'x' },
      { kind: 'secret', name: 'Pin' },
      { kind: 'output', stepId: 'make-key', output: 'KeyId' },
    ]);
    for (const inner of ['', 'two words', 'secret:', 'steps.only-step', 'steps.a.b.c', 'steps.Upper.KeyId', '1abc', 'env:HOME']) {
      expect(parsePlaceholder(inner).kind).toBe('malformed');
    }
  });
});
