/**
 * The hsm layer's cluster primitives on two real SoftHSM2 installations: domain key generated
 * under SO with CKA_TRUSTED, cloned over an RSA-OAEP transport key generated inside the receiving
 * token, then CMKs (wrap-with-trusted) replicated under the domain key or a trusted transport key.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { caught, newObjectId } from '../hsm/helpers';

const SO = 'so-Pin-1234';
const USER = 'kmsuser-Pin-5678';
const DOMAIN = newObjectId();
const TRANSPORT_B = newObjectId();

interface Member {
  fixture: SoftHsmFixture;
  client: HsmModuleClient;
  serial: string;
}

async function member(label: string): Promise<Member> {
  const fixture = await createSoftHsmFixture();
  const client = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
  const { serial } = await client.initToken({ soPin: SO, label });
  return { fixture, client, serial };
}

describe('hsm replication primitives (two SoftHSM2 tokens)', () => {
  let a: Member;
  let b: Member;

  beforeAll(async () => {
    [a, b] = await Promise.all([member('member-a'), member('member-b')]);
  });
  afterAll(async () => {
    for (const m of [a, b]) {
      await m.client.close();
      await m.fixture.cleanup();
    }
  });

  it('clones the trusted domain key over a transport key generated in the receiving token', async () => {
    await a.client.generateDomainKey({ serial: a.serial, soPin: SO, objectId: DOMAIN, label: 'kw-domain' });
    const transport = await b.client.generateTransportKey({ serial: b.serial, soPin: SO, objectId: TRANSPORT_B, label: 'kw-transport' });
    expect(transport.modulus.length).toBe(256);
    await a.client.importTrustedWrapKey({ serial: a.serial, soPin: SO, objectId: TRANSPORT_B, label: 'kw-transport-b', publicKey: transport });
    const wrapped = await a.client.wrapKey({ serial: a.serial, wrappingObjectId: TRANSPORT_B, objectId: DOMAIN, mechanism: 'RSA_OAEP_SHA1' });
    await b.client.unwrapDomainKey({ serial: b.serial, soPin: SO, objectId: DOMAIN, label: 'kw-domain', unwrappingObjectId: TRANSPORT_B, wrapped });
    for (const m of [a, b]) {
      await m.client.initUserPin({ serial: m.serial, soPin: SO, userPin: USER });
      await m.client.login({ serial: m.serial, userPin: USER });
    }
    const [info] = await b.client.describeKey({ serial: b.serial, objectId: DOMAIN });
    expect(info).toMatchObject({ objectClass: 'SECRET_KEY', keyType: 'AES', sensitive: true, wrapWithTrusted: true, private: false });
  });

  it('replicates an AES CMK under the domain key and under the trusted transport key', async () => {
    const policy = { wrapWithTrusted: true, extractable: true };
    const spec = { kind: 'AES', bits: 256 } as const;
    for (const mechanism of ['AES_KEY_WRAP_PAD', 'RSA_OAEP_SHA1'] as const) {
      const cmk = newObjectId();
      await a.client.generateKey({ serial: a.serial, objectId: cmk, label: 'cmk', spec, policy });
      const wrappingObjectId = mechanism === 'AES_KEY_WRAP_PAD' ? DOMAIN : TRANSPORT_B;
      const wrapped = await a.client.wrapKey({ serial: a.serial, wrappingObjectId, objectId: cmk, mechanism });
      await b.client.unwrapKey({ serial: b.serial, unwrappingObjectId: wrappingObjectId, mechanism, wrapped, objectId: cmk, label: 'cmk', spec, policy });
      const iv = Buffer.alloc(12, 7);
      const sealed = await a.client.encrypt({ serial: a.serial, objectId: cmk, mechanism: { kind: 'AES_GCM', iv, aad: Buffer.alloc(0), tagBits: 128 }, data: Buffer.from('hello') });
      const opened = await b.client.decrypt({ serial: b.serial, objectId: cmk, mechanism: { kind: 'AES_GCM', iv, aad: Buffer.alloc(0), tagBits: 128 }, data: sealed });
      expect(opened.toString()).toBe('hello');
      const [replica] = await b.client.describeKey({ serial: b.serial, objectId: cmk });
      expect(replica).toMatchObject({ sensitive: true, wrapWithTrusted: true, private: true });
    }
  });

  it('replicates an EC private key under the domain key and re-creates its public half', async () => {
    const policy = { wrapWithTrusted: true, extractable: true };
    const spec = { kind: 'EC', curve: 'P-256' } as const;
    const cmk = newObjectId();
    await a.client.generateKey({ serial: a.serial, objectId: cmk, label: 'ec', spec, policy });
    const wrapped = await a.client.wrapKey({ serial: a.serial, wrappingObjectId: DOMAIN, objectId: cmk, mechanism: 'AES_KEY_WRAP_PAD' });
    await b.client.unwrapKey({ serial: b.serial, unwrappingObjectId: DOMAIN, mechanism: 'AES_KEY_WRAP_PAD', wrapped, objectId: cmk, label: 'ec', spec, policy });
    const material = await a.client.getPublicKey({ serial: a.serial, objectId: cmk });
    await b.client.createPublicKey({ serial: b.serial, objectId: cmk, label: 'ec', spec, material });
    const digest = createHash('sha256').update('x').digest();
    const signature = await b.client.sign({ serial: b.serial, objectId: cmk, mechanism: 'ECDSA', data: digest });
    expect(await a.client.verify({ serial: a.serial, objectId: cmk, mechanism: 'ECDSA', data: digest, signature })).toBe(true);
    // A private key cannot travel over RSA-OAEP.
    const refused = await caught(a.client.wrapKey({ serial: a.serial, wrappingObjectId: TRANSPORT_B, objectId: cmk, mechanism: 'RSA_OAEP_SHA1' }));
    expect(refused.code).toBe('UnsupportedOperation');
  });

  it('refuses to wrap a CMK under a key that is not trusted', async () => {
    const cmk = newObjectId();
    await b.client.generateKey({ serial: b.serial, objectId: cmk, label: 'cmk', spec: { kind: 'AES', bits: 128 }, policy: { wrapWithTrusted: true, extractable: true } });
    // B's own transport public key is not CKA_TRUSTED (and cannot wrap at all).
    const error = await caught(b.client.wrapKey({ serial: b.serial, wrappingObjectId: TRANSPORT_B, objectId: cmk, mechanism: 'RSA_OAEP_SHA1' }));
    expect(error.code).not.toBe('HsmError.WorkerCrashed');
  });
});
