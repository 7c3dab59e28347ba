import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from '../../../electron/main/transports/cli-arguments';
import { parseCliArguments, type CliIo } from '../../../electron/main/transports/cli';

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { env: {}, out, err, stdout: (text) => void out.push(text), stderr: (text) => void err.push(text), readStdin: () => Promise.resolve(null) };
}

describe('kms --output and --input', () => {
  it('reads --output for an operation that makes a file and --input for one that reads a file', () => {
    expect(parseCommandLine(['CreateBackup', '--output', 'b.kwbackup', '--Description', 'weekly'])).toMatchObject({
      outputFile: 'b.kwbackup',
      inputFile: null,
      input: { Description: 'weekly' },
    });
    for (const operation of ['DescribeBackup', 'VerifyBackup', 'RestoreBackup']) {
      expect(parseCommandLine([operation, '--input', '/media/usb/b.kwbackup'])).toMatchObject({ inputFile: '/media/usb/b.kwbackup', outputFile: null, input: {} });
    }
  });

  it('requires --output where a file is made: a backup never goes to standard output', () => {
    expect(() => parseCommandLine(['CreateBackup', '--Description', 'weekly'])).toThrow(CommandLineError);
    expect(() => parseCommandLine(['CreateBackup'])).toThrow('give --output FILE');
  });

  it('requires --input (or a FileId, not both) where a file is read', () => {
    expect(() => parseCommandLine(['RestoreBackup'])).toThrow('give --input FILE');
    expect(parseCommandLine(['DescribeBackup', '--FileId', 'file-AAAAAAAAAAAAAAAAAAAAAAAA']).input).toEqual({ FileId: 'file-AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(() => parseCommandLine(['DescribeBackup', '--input', 'b', '--FileId', 'file-AAAAAAAAAAAAAAAAAAAAAAAA'])).toThrow('not both');
  });

  it('refuses --output and --input on operations without a file, and the wrong one of the two', () => {
    expect(() => parseCommandLine(['ListKeys', '--output', 'keys.json'])).toThrow('--output is only for operations that make a file (CreateBackup)');
    expect(() => parseCommandLine(['CreateKey', '--input', 'x'])).toThrow('--input is only for operations that read a file');
    expect(() => parseCommandLine(['CreateBackup', '--output', 'b', '--input', 'a'])).toThrow(CommandLineError);
    expect(() => parseCommandLine(['RestoreBackup', '--output', 'b', '--input', 'a'])).toThrow(CommandLineError);
  });

  it('answers a missing --output with exit code 2 before anything opens, and still gives help', () => {
    const streams = io();
    expect(parseCliArguments(['CreateBackup', '--pin-env', 'PW'], streams)).toBe(2);
    expect(JSON.parse(streams.err.join(''))).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('--output') });
    expect(streams.out).toEqual([]);

    const help = io();
    expect(parseCliArguments(['CreateBackup', '--help'], help)).toBe(0);
    expect(help.out.join('')).toContain('--output FILE');
    const readHelp = io();
    expect(parseCliArguments(['RestoreBackup', '--help'], readHelp)).toBe(0);
    expect(readHelp.out.join('')).toContain('--input FILE');
    expect(readHelp.out.join('')).not.toContain('--FileId');
  });
});
