/**
 * EC_ED25519 keys on a real SoftHSM2 token (CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA): pure EdDSA
 * over the message that ED25519_SHA_512 carries in `Digest`, checked by openssl independently.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTokenObjects, objectIdOf } from '../../support/pkcs11-tool';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const b64 = (data: Buffer): string => data.toString('base64');

describe('EC_ED25519 keys (ED25519_SHA_512)', () => {
  let t: TestCore;
  let work = '';
  let keyId = '';
  const file = (name: string): string => path.join(work, name);
  /** `openssl pkeyutl -verify -rawin`: pure Ed25519 over the raw message, as RFC 8032 defines it. */
  const opensslVerifies = (): boolean => {
    try {
      const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public.pem', '-rawin', '-in', 'message', '-sigfile', 'signature'], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return out.includes('Signature Verified Successfully');
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-ed25519-'));
    t = await createInitializedTestCore();
    keyId = (await t.call('CreateKey', { KeySpec: 'EC_ED25519' })).KeyMetadata.KeyId;
  });
  afterAll(async () => {
    await disposeTestCore(t);
    removeDir(work);
  });

  it('creates a SIGN/VERIFY key pair inside the token, private half sensitive and never extractable', async () => {
    const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyId });
    expect(KeyMetadata).toMatchObject({ KeySpec: 'EC_ED25519', KeyUsage: 'SIGN/VERIFY', KeyState: 'Enabled' });
    const objects = listTokenObjects(t.dataDir, CANARY_PASSWORD).filter((object) => object.id === objectIdOf(KeyMetadata.PrimaryKeyVersion));
    expect(objects.map((object) => object.kind).sort()).toEqual(['Private Key', 'Public Key']);
    expect(objects.find((object) => object.kind === 'Private Key')?.access).toEqual(expect.arrayContaining(['sensitive', 'never extractable']));
    expect((await t.fail('CreateKey', { KeySpec: 'EC_ED25519', KeyUsage: 'ENCRYPT/DECRYPT' })).Code).toBe('Forbidden.KeyUsage');
    expect((await t.fail('CreateKey', { KeySpec: 'EC_ED25519', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).Code).toBe('UnsupportedOperation');
    expect((await t.call('DescribeKeyStoreCapabilities', { KeyStoreId: 'kst-default' })).KeySpecs).toContain('EC_ED25519');
  });

  it.each([1, 200, 4096])('signs a %i-byte message that openssl pkeyutl -rawin verifies with the GetPublicKey PEM', async (length) => {
    const message = randomBytes(length);
    const { Value } = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: b64(message) });
    const signature = Buffer.from(Value, 'base64');
    expect(signature).toHaveLength(64);
    const { PublicKey } = await t.call('GetPublicKey', { KeyId: keyId });
    expect(PublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    writeFileSync(file('public.pem'), PublicKey);
    writeFileSync(file('message'), message);
    writeFileSync(file('signature'), signature);
    expect(execFileSync('openssl', ['pkey', '-pubin', '-in', 'public.pem', '-text', '-noout'], { cwd: work, encoding: 'utf8' })).toContain('ED25519 Public-Key');
    expect(opensslVerifies()).toBe(true);
    // Another message must fail: the check above can fail.
    writeFileSync(file('message'), Buffer.concat([message, Buffer.from('!')]));
    expect(opensslVerifies()).toBe(false);
  });

  it('verifies inside the HSM: its own signature, not a tampered one or another message', async () => {
    const message = b64(Buffer.from('ceremony minutes, Ed25519'));
    const { Value } = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: message });
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: message, Value })).Value).toBe(true);
    const tampered = Buffer.from(Value, 'base64');
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: message, Value: b64(tampered) })).Value).toBe(false);
    const other = b64(Buffer.from('other minutes'));
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: other, Value })).Value).toBe(false);
  });

  it('refuses algorithms of other specs, and non-digests where a SHA-256 digest is due', async () => {
    const digest = b64(createHash('sha256').update('x').digest());
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest })).Code).toBe('InvalidParameter');
    const ec = (await t.call('CreateKey', { KeySpec: 'EC_P256', KeyUsage: 'SIGN/VERIFY' })).KeyMetadata.KeyId;
    expect((await t.fail('AsymmetricSign', { KeyId: ec, Algorithm: 'ED25519_SHA_512', Digest: digest })).Code).toBe('InvalidParameter');
    const long = await t.fail('AsymmetricSign', { KeyId: ec, Algorithm: 'ECDSA_SHA_256', Digest: b64(randomBytes(33)) });
    expect(long.Code).toBe('InvalidParameter');
    expect(long.Message).toContain('SHA-256 digest');
    expect((await t.fail('AsymmetricSign', { KeyId: keyId, Algorithm: 'ED25519_SHA_512', Digest: b64(randomBytes(4097)) })).Code).toBe('InvalidParameter');
  });
});
