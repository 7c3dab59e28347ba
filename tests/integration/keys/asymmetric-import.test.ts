/**
 * Bring-your-own-key for key pairs, exactly as the README recipe does it: openssl makes the key
 * (genpkey), turns it into PKCS#8 (pkcs8), wraps it under a fresh AES-256 key (enc
 * -id-aes256-wrap-pad) and that key under the HSM's wrapping key (pkeyutl, RSA-OAEP SHA-1). Real
 * SoftHSM2 token, real SQLite; the imported key must then be the very key openssl made.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySpec, WrappingAlgorithm } from '../../../shared/contract';
import { listTokenObjects, objectIdOf } from '../../support/pkcs11-tool';
import { CANARY_PASSWORD, createInitializedTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const HOUR = 3_600_000;
const b64 = (data: Buffer): string => data.toString('base64');

/** The README's recipe after GetParametersForImport, word for word (PRIVATE_DER lets a test swap in other PKCS#8). */
const WRAP_RECIPE = `
echo "$PUBLIC_KEY" | base64 -d > wrap.der
openssl pkcs8 -topk8 -nocrypt -in private.pem -outform DER -out private.der
[ -z "$PRIVATE_DER" ] || cp "$PRIVATE_DER" private.der
openssl rand -out aes.key 32
openssl enc -id-aes256-wrap-pad -iv A65959A6 -K "$(od -An -v -tx1 aes.key | tr -d ' \\n')" -in private.der -out private.wrapped
openssl pkeyutl -encrypt -pubin -keyform DER -inkey wrap.der -in aes.key -out aes.wrapped \\
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1
cat aes.wrapped private.wrapped > material.bin
rm aes.key
`;

const GENPKEY: Partial<Record<KeySpec, string[]>> = {
  RSA_2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  RSA_3072: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  EC_P256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  EC_P256K: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
};

describe('import of RSA and EC private keys wrapped by openssl (RSA_AES_KEY_WRAP_SHA_1)', () => {
  let t: TestCore;
  let work = '';
  let clock = Date.parse('2026-06-01T10:00:00.000Z');
  const file = (name: string): string => path.join(work, name);
  const run = (command: string, args: string[], env: Record<string, string> = {}): string =>
    execFileSync(command, args, { cwd: work, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const openssl = (args: string[]): string => run('openssl', args);
  // Key objects only: the audit anchor's data object is (re)written in the background.
  const tokenObjectIds = (): string[] =>
    listTokenObjects(t.dataDir, CANARY_PASSWORD)
      .filter((object) => object.kind !== 'Data')
      .map((object) => `${object.kind} ${object.id}`)
      .sort();

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'keyward-byok-pairs-'));
    t = await createInitializedTestCore({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await disposeTestCore(t);
    removeDir(work);
  });

  async function externalKey(spec: KeySpec): Promise<string> {
    const created = await t.call('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN/VERIFY', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true });
    expect(created.KeyMetadata.KeyState).toBe('PendingImport');
    return created.KeyMetadata.KeyId;
  }

  /** `openssl genpkey` into private.pem (the officer's key). */
  function generate(spec: KeySpec): void {
    openssl(['genpkey', '-quiet', ...(GENPKEY[spec] ?? []), '-out', 'private.pem']);
  }

  /** GetParametersForImport, then the recipe; `privateDer` replaces the PKCS#8 of private.pem. */
  async function wrap(keyId: string, privateDer?: Buffer): Promise<{ ImportToken: string; EncryptedKeyMaterial: string }> {
    const parameters = await t.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1', WrappingKeySpec: 'RSA_2048' });
    if (privateDer) writeFileSync(file('other.der'), privateDer);
    run('sh', ['-ec', WRAP_RECIPE], { PUBLIC_KEY: parameters.PublicKey, PRIVATE_DER: privateDer ? file('other.der') : '' });
    return { ImportToken: parameters.ImportToken, EncryptedKeyMaterial: b64(readFileSync(file('material.bin'))) };
  }

  /** The key's signature verifies with openssl against private.pem's public key, and openssl's against the key. */
  async function expectSameKeyAsOpenssl(keyId: string, spec: KeySpec): Promise<void> {
    const publicPem = openssl(['pkey', '-in', 'private.pem', '-pubout']);
    expect((await t.call('GetPublicKey', { KeyId: keyId })).PublicKey).toBe(publicPem);
    writeFileSync(file('public.pem'), publicPem);
    const message = Buffer.from(`release manifest signed by ${spec}`);
    writeFileSync(file('msg'), message);
    const algorithm = spec.startsWith('RSA') ? 'RSA_PKCS1_SHA_256' : 'ECDSA_SHA_256';
    const digest = b64(createHash('sha256').update(message).digest());
    const { Value } = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: algorithm, Digest: digest });
    writeFileSync(file('sig'), Buffer.from(Value, 'base64'));
    expect(openssl(['dgst', '-sha256', '-verify', 'public.pem', '-signature', 'sig', 'msg'])).toContain('Verified OK');
    openssl(['dgst', '-sha256', '-sign', 'private.pem', '-out', 'openssl.sig', 'msg']);
    const theirs = b64(readFileSync(file('openssl.sig')));
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: digest, Value: theirs })).Value).toBe(true);
    const otherDigest = b64(createHash('sha256').update('forged manifest').digest());
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: algorithm, Digest: otherDigest, Value: theirs })).Value).toBe(false);
  }

  it.each(['RSA_2048', 'EC_P256', 'EC_P256K'] as const)('imports a %s key made by openssl genpkey; the HSM then holds exactly that key', async (spec) => {
    const keyId = await externalKey(spec);
    generate(spec);
    const imported = await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrap(keyId)) });
    expect(imported).toMatchObject({ KeyId: keyId, KeyState: 'Enabled' });
    await expectSameKeyAsOpenssl(keyId, spec);
    // The private key stays inside: sensitive, not extractable; its public half sits next to it.
    const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
    const objects = listTokenObjects(t.dataDir, CANARY_PASSWORD).filter((object) => object.id === objectIdOf(versionId));
    expect(objects.map((object) => object.kind).sort()).toEqual(['Private Key', 'Public Key']);
    const privateKey = objects.find((object) => object.kind === 'Private Key');
    expect(privateKey?.access).toContain('sensitive');
    expect(privateKey?.access).not.toContain('extractable');
  });

  it('chooses the wrapping algorithm by key kind and refuses what the token lacks, naming it', async () => {
    const keyId = await externalKey('RSA_3072');
    const sha256 = await t.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
    expect(sha256.Code).toBe('UnsupportedOperation');
    expect(sha256.Message).toMatch(/token \S+ \(SoftHSM.*\) does not support RSA_AES_KEY_WRAP_SHA_256 \(supported: RSA_AES_KEY_WRAP_SHA_1\)/);
    const oaep = await t.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(oaep.Code).toBe('InvalidParameter');
    expect(oaep.Message).toContain('RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256');
    const aes = (await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', Origin: 'EXTERNAL', AcknowledgeExternalKeyMaterial: true })).KeyMetadata.KeyId;
    expect((await t.fail('GetParametersForImport', { KeyId: aes, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_1' })).Code).toBe('InvalidParameter');
    // Without WrappingAlgorithm, each kind gets its own (SHA-1) default; the audit says which.
    await t.call('GetParametersForImport', { KeyId: keyId });
    await t.call('GetParametersForImport', { KeyId: aes });
    const { Events } = await t.call('ListAuditEvents', { Filters: [{ Key: 'Operation', Values: ['GetParametersForImport'] }], PageSize: 100 });
    const algorithmOf = (id: string): unknown[] =>
      Events.filter((event) => event.ResourceId === id && event.Outcome === 'SUCCESS').map((event) => event.Details.WrappingAlgorithm);
    expect(algorithmOf(keyId)).toEqual(['RSA_AES_KEY_WRAP_SHA_1']);
    expect(algorithmOf(aes)).toEqual(['RSAES_OAEP_SHA_1']);
    // RSA-3072 (and so 4096) material comes in the same way.
    generate('RSA_3072');
    await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrap(keyId)) });
    await expectSameKeyAsOpenssl(keyId, 'RSA_3072');
  });

  it('refuses a private key that does not match its public key, garbage, and keys of another kind, size or curve, leaving nothing on the token', async () => {
    const rsa = await externalKey('RSA_2048');
    const ec = await externalKey('EC_P256');
    const jwk = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'jwk' });
    // The modulus of one key with the private exponent and primes of another: a valid PKCS#8, not a pair.
    const mixed = createPrivateKey({ key: { ...jwk(2048), n: jwk(2048).n, e: 'AQAB' }, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' });
    const rsa3072 = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs8', format: 'der' });
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    generate('EC_P256');
    const cases: Array<{ keyId: string; what: string; material: () => Promise<{ ImportToken: string; EncryptedKeyMaterial: string }> }> = [
      { keyId: rsa, what: 'mismatched RSA pair', material: () => wrap(rsa, mixed) },
      { keyId: rsa, what: 'RSA-3072 into RSA_2048', material: () => wrap(rsa, rsa3072) },
      { keyId: rsa, what: 'EC key into RSA_2048', material: () => wrap(rsa) },
      { keyId: ec, what: 'secp256k1 into EC_P256', material: () => wrap(ec, secp256k1) },
      {
        keyId: ec,
        what: 'garbage after a valid AES key',
        material: async () => {
          const wrapped = await wrap(ec);
          const bytes = Buffer.from(wrapped.EncryptedKeyMaterial, 'base64');
          randomBytes(bytes.length - 256).copy(bytes, 256);
          return { ...wrapped, EncryptedKeyMaterial: b64(bytes) };
        },
      },
      {
        keyId: ec,
        what: 'an RSA-OAEP block for another wrapping key',
        material: async () => {
          const wrapped = await wrap(ec);
          const bytes = Buffer.from(wrapped.EncryptedKeyMaterial, 'base64');
          randomBytes(256).copy(bytes, 0);
          return { ...wrapped, EncryptedKeyMaterial: b64(bytes) };
        },
      },
    ];
    for (const { keyId, what, material } of cases) {
      const input = { KeyId: keyId, ...(await material()) };
      const before = tokenObjectIds();
      const refused = await t.fail('ImportKeyMaterial', input);
      expect(refused.Code, what).toBe('InvalidKeyMaterial');
      expect(tokenObjectIds(), what).toEqual(before);
      expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState, what).toBe('PendingImport');
    }
    const shortMaterial = await wrap(ec);
    const cut = b64(Buffer.from(shortMaterial.EncryptedKeyMaterial, 'base64').subarray(0, 260));
    expect((await t.fail('ImportKeyMaterial', { ...shortMaterial, KeyId: ec, EncryptedKeyMaterial: cut })).Code).toBe('InvalidParameter');
    // The same ImportToken still takes the right material afterwards.
    await t.call('ImportKeyMaterial', { KeyId: ec, ...(await wrap(ec)) });
    await expectSameKeyAsOpenssl(ec, 'EC_P256');
  });

  it('DeleteKeyMaterial and expiry destroy both halves; re-importing the same key keeps the version and its signatures', async () => {
    const keyId = await externalKey('EC_P256');
    generate('EC_P256');
    await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrap(keyId)) });
    const versionId = (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion;
    const digest = b64(createHash('sha256').update('signed before the deletion').digest());
    const { Value } = await t.call('AsymmetricSign', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest });
    const halves = [`Private Key ${objectIdOf(versionId)}`, `Public Key ${objectIdOf(versionId)}`];
    expect(tokenObjectIds()).toEqual(expect.arrayContaining(halves));

    expect(await t.call('DeleteKeyMaterial', { KeyId: keyId })).toMatchObject({ KeyState: 'PendingImport' });
    expect(tokenObjectIds().join('\n')).not.toContain(objectIdOf(versionId));
    expect((await t.fail('GetPublicKey', { KeyId: keyId })).Code).toBe('Forbidden.KeyState');

    const expireUnix = Math.floor((clock + HOUR) / 1000);
    await t.call('ImportKeyMaterial', { KeyId: keyId, ...(await wrap(keyId)), KeyMaterialExpireUnix: expireUnix });
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata.PrimaryKeyVersion).toBe(versionId);
    expect(tokenObjectIds()).toEqual(expect.arrayContaining(halves));
    expect((await t.call('AsymmetricVerify', { KeyId: keyId, Algorithm: 'ECDSA_SHA_256', Digest: digest, Value })).Value).toBe(true);

    clock += 2 * HOUR;
    expect((await t.core.runMaintenance()).expired).toEqual([keyId]);
    expect((await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'PendingImport', PrimaryKeyVersion: '' });
    expect(tokenObjectIds().join('\n')).not.toContain(objectIdOf(versionId));
  });

  it('reports the import algorithms and key specs the default key store can take', async () => {
    const capabilities = await t.call('DescribeKeyStoreCapabilities', { KeyStoreId: 'kst-default' });
    expect(capabilities.WrappingAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_1'] satisfies WrappingAlgorithm[]);
    expect(capabilities.KeySpecs).toEqual(expect.arrayContaining(['RSA_2048', 'EC_P256K', 'EC_ED25519', 'Aliyun_AES_256']));
  });
});
