/**
 * Secrets through real `kms` processes: values come from a file, standard input or the
 * environment, never from a command-line word. Standard input for SecretData is the whole input
 * (a multi-line value with its final newline), not the first line as for passwords; binary files
 * are sent as base64 of their raw bytes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECRET_BYTES } from '../../../shared/contract';
import { runKms, type CliResult } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nline two of the key\n-----END OPENSSH PRIVATE KEY-----\n';

describe('kms and secret values', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'keyward-cli-secrets-'));
  const dataDir = path.join(work, 'data');
  const kms = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> =>
    runKms(args, { stdin: options.stdin, env: { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD, ...options.env } });
  const read = async (SecretName: string, VersionId: string): Promise<Record<string, unknown>> => {
    const result = await kms(['GetSecretValue', '--SecretName', SecretName, '--VersionId', VersionId]);
    expect(result.code, result.stderr).toBe(0);
    return result.json;
  };
  const file = (name: string, content: string | Buffer): string => {
    const target = path.join(work, name);
    writeFileSync(target, content, { mode: 0o600 });
    return target;
  };

  beforeAll(async () => {
    // Whole standard input, not its first line; the first call also creates the default key store.
    const created = await kms(['CreateSecret', '--SecretName', 'ssh/deploy', '--VersionId', 'v1'], { stdin: PEM });
    expect(created.code, created.stderr).toBe(0);
  }, 120_000);
  afterAll(() => removeDir(work));

  it('reads SecretData from all of standard input, from --secret-file (text, binary, -) and from --secret-env', async () => {
    expect(await read('ssh/deploy', 'v1')).toMatchObject({ SecretData: PEM, SecretDataType: 'text' });

    const text = file('value.txt', 'line one\nline two\n');
    expect((await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'v2', '--secret-file', `SecretData=${text}`])).code).toBe(0);
    expect((await read('ssh/deploy', 'v2')).SecretData).toBe('line one\nline two\n');

    const raw = Buffer.from([0, 255, 10, 13, 0x80, 1]);
    const binary = file('value.bin', raw);
    const put = await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'v3', '--SecretDataType', 'binary', '--secret-file', `SecretData=${binary}`]);
    expect(put.code, put.stderr).toBe(0);
    expect(await read('ssh/deploy', 'v3')).toMatchObject({ SecretData: raw.toString('base64'), SecretDataType: 'binary' });

    const dash = await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'v4', '--secret-file', 'SecretData=-'], { stdin: 'from\nstdin' });
    expect(dash.code, dash.stderr).toBe(0);
    expect((await read('ssh/deploy', 'v4')).SecretData).toBe('from\nstdin');

    const env = await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'v5', '--secret-env', 'SecretData=KW_VALUE'], { env: { KW_VALUE: 'from the environment' } });
    expect(env.code, env.stderr).toBe(0);
    expect((await read('ssh/deploy', 'v5')).SecretData).toBe('from the environment');
  });

  it('refuses a value given as a command-line word, pointing at --secret-file and standard input, without echoing it', async () => {
    for (const args of [
      ['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'w1', '--SecretData', 'Word7Value'],
      ['PutSecretValue', '--cli-input-json', '{"SecretName":"ssh/deploy","VersionId":"w1","SecretData":"Word7Value"}'],
    ]) {
      const refused = await kms(args);
      expect(refused.code).toBe(2);
      expect(refused.json).toMatchObject({ Code: 'InvalidParameter' });
      expect(String(refused.json.Message)).toContain('--secret-file SecretData=PATH');
      expect(refused.stdout + refused.stderr).not.toContain('Word7Value');
    }
    expect((await kms(['GetSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'w1'])).json).toMatchObject({ Code: 'NotFound.SecretVersion' });
  });

  it('takes an external key store’s proxy credential only from a file, never as a command-line word', async () => {
    const secret = 'Xks7SecretAccessKeyForTheCliOnlyFromAFile0123';
    const credential = JSON.stringify({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: secret });
    const store = ['CreateKeyStore', '--KeyStoreName', 'cli-external', '--KeyStoreType', 'EXTERNAL_KEY_STORE', '--XksProxyUriEndpoint', 'https://127.0.0.1:9', '--XksProxyUriPath', '/x/kms/xks/v1'];
    for (const args of [
      [...store, '--XksProxyAuthenticationCredential', credential],
      ['CreateKeyStore', '--cli-input-json', JSON.stringify({ KeyStoreName: 'cli-external', KeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyAuthenticationCredential: JSON.parse(credential) as unknown })],
    ]) {
      const refused = await kms(args);
      expect(refused.code).toBe(2);
      expect(String(refused.json.Message)).toContain('--secret-file XksProxyAuthenticationCredential=PATH');
      expect(refused.stdout + refused.stderr).not.toContain(secret);
    }
    const created = await kms([...store, '--secret-file', `XksProxyAuthenticationCredential=${file('credential.json', credential)}`]);
    expect(created.code, created.stderr).toBe(0);
    const described = JSON.stringify((await kms(['DescribeKeyStores'])).json);
    expect(described).toContain('"AccessKeyId":"ABCDEFGHIJKLMNOPQRST"');
    expect(described).not.toContain(secret);
  });

  it('refuses oversized, non-UTF-8 and unreadable inputs before anything is stored, naming neither value nor path', async () => {
    const big = file('big.txt', 'x'.repeat(MAX_SECRET_BYTES + 1));
    const latin1 = file('latin1.txt', Buffer.from([0x70, 0xe4, 0x73, 0x73]));
    const cases: [string[], string | undefined, string][] = [
      [['--secret-file', `SecretData=${big}`], undefined, `larger than ${MAX_SECRET_BYTES} bytes`],
      [[], 'y'.repeat(MAX_SECRET_BYTES + 10), `larger than ${MAX_SECRET_BYTES} bytes`],
      [['--secret-file', `SecretData=${latin1}`], undefined, 'not UTF-8 text'],
      [['--secret-file', 'SecretData=Typed9Secret'], undefined, 'cannot be read (ENOENT)'],
    ];
    for (const [extra, stdin, message] of cases) {
      const refused = await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'bad', ...extra], { stdin });
      expect(refused.code, refused.stderr).toBe(2);
      expect(String(refused.json.Message)).toContain(message);
      expect(refused.stderr).not.toContain('Typed9Secret');
      expect(refused.stderr).not.toContain(work);
    }
    // The same bytes are fine as binary.
    const binary = await kms(['PutSecretValue', '--SecretName', 'ssh/deploy', '--VersionId', 'latin1', '--SecretDataType', 'binary', '--secret-file', `SecretData=${latin1}`]);
    expect(binary.code, binary.stderr).toBe(0);
    const versions = await kms(['ListSecretVersionIds', '--SecretName', 'ssh/deploy', '--IncludeDeprecated', 'true']);
    expect((versions.json.VersionIds as { VersionId: string }[]).map((entry) => entry.VersionId)).not.toContain('bad');
  });

  it('GetRandomPassword and the metadata operations work from the command line', async () => {
    const password = await kms(['GetRandomPassword', '--PasswordLength', '40', '--ExcludePunctuation', 'true']);
    expect(password.code, password.stderr).toBe(0);
    expect(password.json.RandomPassword).toMatch(/^[A-Za-z0-9]{40}$/);
    const described = await kms(['DescribeSecret', '--SecretName', 'ssh/deploy']);
    expect(described.json).toMatchObject({ SecretName: 'ssh/deploy', CurrentVersionId: 'latin1' });
    expect(described.stdout).not.toContain('OPENSSH');
  });
});
