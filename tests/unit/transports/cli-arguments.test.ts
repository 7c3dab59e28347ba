import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from '../../../electron/main/transports/cli-arguments';
import { parseCliArguments } from '../../../electron/main/transports/cli';

describe('kms command line', () => {
  it('types values by the operation schema', () => {
    const parsed = parseCommandLine(['ListKeys', '--PageSize', '50', '--PageNumber', '2', '--Filters', '[{"Key":"KeyState","Values":["Enabled"]}]']);
    expect(parsed.operation).toBe('ListKeys');
    expect(parsed.input).toEqual({ PageSize: 50, PageNumber: 2, Filters: [{ Key: 'KeyState', Values: ['Enabled'] }] });
  });

  it('keeps strings as strings and reads booleans', () => {
    const parsed = parseCommandLine(['CreateKey', '--Description', '123', '--EnableAutomaticRotation', 'true']);
    expect(parsed.input).toEqual({ Description: '123', EnableAutomaticRotation: true });
  });

  it('merges --cli-input-json and reads the global options', () => {
    const parsed = parseCommandLine(['DescribeKey', '--cli-input-json', '{"KeyId":"alias/x"}', '--data-dir', '/tmp/d', '--pin-env', 'PIN']);
    expect(parsed.input).toEqual({ KeyId: 'alias/x' });
    expect(parsed.dataDir).toBe('/tmp/d');
    expect(parsed.pinEnv).toBe('PIN');
  });

  it('maps secret fields to environment variables, only secret fields, without echoing the value', () => {
    const parsed = parseCommandLine(['JoinHsm', '--HsmId', 'hsm-1', '--secret-env', 'SoPin=SO_PIN', '--secret-env', 'KeyStorePassword=KMSUSER_PW']);
    expect(parsed.secretEnv).toEqual([
      { field: 'SoPin', variable: 'SO_PIN' },
      { field: 'KeyStorePassword', variable: 'KMSUSER_PW' },
    ]);
    expect(parsed.input).toEqual({ HsmId: 'hsm-1' });
    expect(() => parseCommandLine(['JoinHsm', '--secret-env', 'HsmId=X'])).toThrow('not a secret of JoinHsm (its secret fields: SoPin, KeyStorePassword)');
    const misplaced = (() => {
      try {
        parseCommandLine(['JoinHsm', '--secret-env', 'Sup3r$ecret!']);
      } catch (error) {
        return error as Error;
      }
      return null;
    })();
    expect(misplaced).toBeInstanceOf(CommandLineError);
    expect(misplaced?.message).not.toContain('Sup3r');
  });

  it('refuses dangling flags and bad JSON', () => {
    expect(() => parseCommandLine(['DescribeKey', '--KeyId'])).toThrow(CommandLineError);
    expect(() => parseCommandLine(['DescribeKey', 'KeyId', 'x'])).toThrow(CommandLineError);
    expect(() => parseCommandLine(['DescribeKey', '--cli-input-json', '[1]'])).toThrow(CommandLineError);
    expect(() => parseCommandLine(['ListKeys', '--Filters', 'nope'])).toThrow(CommandLineError);
  });

  it('refuses parameter names the operation does not have, Object.prototype names included, as usage errors', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'NoSuchParam']) {
      expect(() => parseCommandLine(['DescribeKey', `--${name}`, 'x']), name).toThrow(CommandLineError);
    }
    expect(() => parseCommandLine(['DescribeKey', '--KeyIdd', 'x'])).toThrow('DescribeKey has no parameter --KeyIdd (its parameters: --KeyId)');
    // A "name" with a digit may be a misplaced password: it is not echoed.
    expect(() => parseCommandLine(['DescribeKey', '--Sup3rSecret', 'x'])).toThrow(/^((?!Sup3r).)*$/);
    const unknownOperation = parseCommandLine(['NoSuchOperation', '--constructor', 'x']);
    expect(Object.getPrototypeOf(unknownOperation.input)).toBe(Object.prototype);
    expect(Object.keys(unknownOperation.input)).toEqual(['constructor']);
    const io = { env: {}, stdout: () => undefined, stderr: () => undefined, readStdin: async () => null };
    expect(parseCliArguments(['DescribeKey', '--__proto__', 'x'], io)).toBe(2);
    expect(parseCliArguments(['DescribeKey', '--toString', 'x'], io)).toBe(2);
  });

  it('never takes SecretData from a command-line word (not as --SecretData, not in --cli-input-json) and says where to give it', () => {
    for (const argv of [
      ['CreateSecret', '--SecretName', 'db', '--SecretData', 'Sup3rValue'],
      ['PutSecretValue', '--cli-input-json', '{"SecretName":"db","VersionId":"v2","SecretData":"Sup3rValue"}'],
    ]) {
      const refused = (() => {
        try {
          parseCommandLine(argv);
        } catch (error) {
          return error as Error;
        }
        return null;
      })();
      expect(refused).toBeInstanceOf(CommandLineError);
      expect(refused?.message).toContain('--secret-file SecretData=PATH');
      expect(refused?.message).not.toContain('Sup3r');
    }
  });

  it('never takes a backup or client key file password from a command-line word, while other passwords may still be one', () => {
    for (const argv of [
      ['CreateBackup', '--output', '/tmp/b.kwbackup', '--Password', 'Sup3r-backup-pass'],
      ['RestoreBackup', '--input', '/tmp/b.kwbackup', '--cli-input-json', '{"Password":"Sup3r-backup-pass"}'],
      ['CreateClientKey', '--AapName', 'payments', '--Password', 'Sup3r-pkcs12-pass'],
    ]) {
      expect(() => parseCommandLine(argv)).toThrow('--secret-file Password=PATH');
    }
    expect(parseCommandLine(['ConnectKeyStore', '--KeyStoreId', 'ks', '--KeyStorePassword', 'Passw0rd1']).input.KeyStorePassword).toBe('Passw0rd1');
  });

  it('maps secret fields to files (--secret-file Field=PATH, - for standard input), only secret fields, at most one from standard input', () => {
    const parsed = parseCommandLine(['CreateSecret', '--SecretName', 'db', '--VersionId', 'v1', '--secret-file', 'SecretData=/tmp/value.bin']);
    expect(parsed.secretFiles).toEqual([{ field: 'SecretData', path: '/tmp/value.bin' }]);
    expect(parsed.input).toEqual({ SecretName: 'db', VersionId: 'v1' });
    expect(parseCommandLine(['JoinHsm', '--secret-file', 'SoPin=-', '--secret-file', 'KeyStorePassword=/run/pw']).secretFiles).toHaveLength(2);
    expect(() => parseCommandLine(['CreateSecret', '--secret-file', 'SecretName=/tmp/x'])).toThrow('not a secret of CreateSecret (its secret fields: SecretData)');
    expect(() => parseCommandLine(['JoinHsm', '--secret-file', 'SoPin=-', '--secret-file', 'KeyStorePassword=-'])).toThrow('Only one --secret-file can read standard input');
    expect(() => parseCommandLine(['CreateSecret', '--secret-file', 'SecretData=-', '--secret-env', 'SecretData=V'])).toThrow('given twice');
    expect(() => parseCommandLine(['CreateSecret', '--secret-file', 'nofield'])).toThrow('--secret-file takes Field=PATH');
  });

  it('asks for help with no operation', () => {
    expect(parseCommandLine([]).help).toBe(true);
  });
});
