import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from '../../../electron/main/transports/cli-arguments';
import { isJsonSecretField, jsonSecretFromBytes, SecretInputError } from '../../../electron/main/transports/cli-secret-input';

const STEP = ['RunCeremonyStep', '--CeremonyId', 'cer-00000000-0000-0000-0000-000000000000', '--StepId', 'seal-note'];

function refusal(argv: string[]): Error | null {
  try {
    parseCommandLine(argv);
  } catch (error) {
    return error as Error;
  }
  return null;
}

describe("kms RunCeremonyStep's Secrets", () => {
  it('never takes Secrets from a command-line word or --cli-input-json, and says where to give it', () => {
    for (const argv of [
      [...STEP, '--Secrets', '{"Note":"Sup3rSealed"}'],
      ['RunCeremonyStep', '--cli-input-json', '{"CeremonyId":"cer-00000000-0000-0000-0000-000000000000","StepId":"s","Secrets":{"Note":"Sup3rSealed"}}'],
    ]) {
      const refused = refusal(argv);
      expect(refused).toBeInstanceOf(CommandLineError);
      expect(refused?.message).toContain('--secret-file Secrets=PATH');
      expect(refused?.message).toContain('--secret-env Secrets=VARIABLE');
      expect(refused?.message).not.toContain('Sup3r');
    }
  });

  it('takes Secrets from a file or a variable, as a JSON object read whole', () => {
    expect(parseCommandLine([...STEP, '--secret-file', 'Secrets=/run/secrets.json']).secretFiles).toEqual([{ field: 'Secrets', path: '/run/secrets.json' }]);
    expect(parseCommandLine([...STEP, '--secret-env', 'Secrets=STEP_SECRETS']).secretEnv).toEqual([{ field: 'Secrets', variable: 'STEP_SECRETS' }]);
    expect(isJsonSecretField('Secrets')).toBe(true);
    expect(jsonSecretFromBytes('Secrets', Buffer.from('{"Note":"Sup3rSealed"}\n'))).toEqual({ Note: 'Sup3rSealed' });
    expect(() => jsonSecretFromBytes('Secrets', Buffer.from('Note=Sup3rSealed'))).toThrow(SecretInputError);
    expect(() => jsonSecretFromBytes('Secrets', Buffer.from('Note=Sup3rSealed'))).toThrow('{"ParameterName": "..."}');
  });
});
