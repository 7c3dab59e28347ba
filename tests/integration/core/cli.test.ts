import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKms } from '../../support/run-cli';
import { CANARY_PASSWORD, removeDir } from '../../support/test-core';

describe('kms CLI (separate processes, real SoftHSM2 + SQLite)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-'));
  const env = { KMS_DATA_DIR: dataDir, KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD };
  afterAll(() => removeDir(dataDir));

  it('creates an EC key, signs, and openssl verifies the signature with the GetPublicKey PEM', async () => {
    const created = await runKms(['CreateKey', '--KeySpec', 'EC_P256', '--KeyUsage', 'SIGN/VERIFY'], { env });
    expect(created.code, created.stderr).toBe(0);
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;
    expect(created.json.RequestId).toEqual(expect.any(String));

    const described = await runKms(['DescribeKey', '--KeyId', keyId], { env });
    expect((described.json.KeyMetadata as { KeyState: string }).KeyState).toBe('Enabled');

    const message = Buffer.from('minutes of the key ceremony');
    const digest = createHash('sha256').update(message).digest('base64');
    const signed = await runKms(['AsymmetricSign', '--KeyId', keyId, '--Algorithm', 'ECDSA_SHA_256', '--Digest', digest], { env });
    expect(signed.code, signed.stderr).toBe(0);
    const signature = signed.json.Value as string;

    const verified = await runKms(
      ['AsymmetricVerify', '--cli-input-json', JSON.stringify({ KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value: signature })],
      { env },
    );
    expect(verified.json.Value).toBe(true);

    const publicKey = await runKms(['GetPublicKey', '--KeyId', keyId], { env });
    const work = mkdtempSync(path.join(tmpdir(), 'keyward-openssl-'));
    writeFileSync(path.join(work, 'pub.pem'), publicKey.json.PublicKey as string);
    writeFileSync(path.join(work, 'msg'), message);
    writeFileSync(path.join(work, 'sig'), Buffer.from(signature, 'base64'));
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig', 'msg'], { cwd: work }).toString();
    expect(out).toContain('Verified OK');
    removeDir(work);
  });

  it('round-trips Encrypt and Decrypt across processes', async () => {
    const created = await runKms(['CreateKey', '--KeySpec', 'Aliyun_AES_256'], { env });
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;
    const plaintext = Buffer.from('ceremony secret').toString('base64');
    const encrypted = await runKms(['Encrypt', '--KeyId', keyId, '--Plaintext', plaintext], { env });
    const decrypted = await runKms(['Decrypt', '--CiphertextBlob', encrypted.json.CiphertextBlob as string], { env });
    expect(decrypted.json.Plaintext).toBe(plaintext);
  });

  it('prints typed errors as JSON on stderr with a non-zero exit', async () => {
    const unknown = await runKms(['FrobnicateKey'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.json).toMatchObject({ Code: 'InvalidAction', RequestId: expect.any(String) });

    const missing = await runKms(['DescribeKey'], { env });
    expect(missing.json.Code).toBe('MissingParameter');

    const wrong = await runKms(['ListKeys'], { env: { ...env, KMS_DEFAULT_KEYSTORE_PASSWORD: 'Wrong1Password' } });
    expect(wrong.code).toBe(1);
    expect(wrong.json.Code).toBe('HsmError.PinIncorrect');
    expect(wrong.stderr).not.toContain('Wrong1Password');

    const dangling = await runKms(['DescribeKey', '--KeyId'], { env });
    expect(dangling.code).toBe(2);
    expect(dangling.json.Code).toBe('InvalidParameter');
  });

  it('reads a password from --pin-env or stdin instead of the command line', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'keyward-cli-pin-'));
    const viaEnv = await runKms(['InitializeDefaultKeyStore', '--data-dir', other, '--pin-env', 'OFFICER_PIN'], {
      env: { OFFICER_PIN: CANARY_PASSWORD },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    const viaStdin = await runKms(['ConnectKeyStore', '--data-dir', other, '--KeyStoreId', 'kst-default'], { stdin: `${CANARY_PASSWORD}\n` });
    expect(viaStdin.code, viaStdin.stderr).toBe(0);
    expect(viaStdin.json.ConnectionState).toBe('CONNECTED');
    removeDir(other);
  });
});
