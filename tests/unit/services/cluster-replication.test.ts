import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HsmOpError } from '../../../electron/main/hsm/worker/failure';
import { validators } from '../../../electron/main/hsm/worker/validate';
import { DOMAIN_KEY_OBJECT_ID, transportKeyObjectId } from '../../../electron/main/services/clusters/cluster-objects';
import { inspectCopy, requireReplicable, transferMechanism } from '../../../electron/main/services/clusters/replication';
import { bindToken, HsmError, type HsmCaller, type HsmToken } from '../../../electron/main/hsm';
import type { TokenMember } from '../../../electron/main/services/keystores/connections';
import { suggestModules } from '../../../electron/main/services/modules/module-suggestions';
import { KmsError } from '../../../shared/errors';

function member(hsmId: string, network: boolean): TokenMember {
  return { hsmId, moduleName: network ? `p11-kit ${hsmId}` : 'SoftHSM2', network, aesGcm: !network, aesKeyWrap: !network };
}

const localA = member('hsm-a', false);
const localB = member('hsm-b', false);
const netC = member('hsm-c', true);
const aes = { kind: 'AES', bits: 256 } as const;
const ec = { kind: 'EC', curve: 'P-256' } as const;

describe('replication mechanism per pair of members', () => {
  it('uses AES key wrap under the domain key between local members, for any key', () => {
    expect(transferMechanism(ec, localA, localB)).toEqual({ mechanism: 'AES_KEY_WRAP_PAD', wrappingObjectId: DOMAIN_KEY_OBJECT_ID });
    expect(transferMechanism(aes, localA, localB)).toEqual({ mechanism: 'AES_KEY_WRAP_PAD', wrappingObjectId: DOMAIN_KEY_OBJECT_ID });
  });

  it('sends secret keys to or from a network member over RSA-OAEP under the receiver transport key', () => {
    expect(transferMechanism(aes, localA, netC)).toEqual({ mechanism: 'RSA_OAEP_SHA1', wrappingObjectId: transportKeyObjectId('hsm-c') });
    expect(transferMechanism({ kind: 'HMAC', bits: 512 }, netC, localA)).toEqual({ mechanism: 'RSA_OAEP_SHA1', wrappingObjectId: transportKeyObjectId('hsm-a') });
  });

  it('refuses private keys wherever a network member is involved, naming it and its module', () => {
    const transfer = transferMechanism(ec, localA, netC);
    expect('refusal' in transfer && transfer.refusal).toMatch(/hsm-c \(module p11-kit hsm-c\).*p11-kit-client/);
    let refused: unknown = null;
    try {
      requireReplicable({ kind: 'RSA', bits: 2048 }, 'RSA_2048', [localA, netC]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(KmsError);
    expect((refused as KmsError).code).toBe('UnsupportedOperation');
    expect(() => requireReplicable(ec, 'EC_P256', [localA, localB])).not.toThrow();
    expect(() => requireReplicable(aes, 'Aliyun_AES_256', [localA, netC])).not.toThrow();
  });
});

describe('cluster worker arguments', () => {
  const serial = '0123456789abcdef';
  const objectId = 'ffeeddccbbaa99887766554433221100';

  it('accepts only a 32-byte digest for the owner signature and known wrap mechanisms', () => {
    expect(validators.ownerSign({ serial, objectId, digest: Buffer.alloc(32) }).digest.length).toBe(32);
    expect(() => validators.ownerSign({ serial, objectId, digest: Buffer.alloc(31) })).toThrow(HsmOpError);
    expect(() => validators.wrapKey({ serial, objectId, wrappingObjectId: objectId, mechanism: 'AES_CBC_PAD' })).toThrow(HsmOpError);
    expect(validators.generateOwnerKey({ serial, objectId, soPin: 'so-pin-1', label: 'owner' })).toMatchObject({ serial, objectId, label: 'owner' });
  });
});

describe('module suggestions', () => {
  it('lists PKCS#11 libraries in the Debian paths, skipping non-HSM modules and registered ones unless their environment picks the HSM', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'keyward-usr-lib-'));
    try {
      const pkcs11 = path.join(root, 'x86_64-linux-gnu', 'pkcs11');
      mkdirSync(pkcs11, { recursive: true });
      mkdirSync(path.join(root, 'softhsm'));
      for (const file of ['p11-kit-client.so', 'p11-kit-trust.so', 'opensc-pkcs11.so', 'vendor-hsm.so']) writeFileSync(path.join(pkcs11, file), '');
      writeFileSync(path.join(root, 'softhsm', 'libsofthsm2.so'), '');
      const registered = new Set([path.join(pkcs11, 'opensc-pkcs11.so'), path.join(root, 'softhsm', 'libsofthsm2.so')]);
      const suggestions = suggestModules(registered, root);
      expect(suggestions.map((suggestion) => [path.relative(root, suggestion.Path), suggestion.Name, suggestion.NetworkClient])).toEqual([
        ['softhsm/libsofthsm2.so', 'SoftHSM2', false],
        ['x86_64-linux-gnu/pkcs11/p11-kit-client.so', 'p11-kit network HSM client', true],
        ['x86_64-linux-gnu/pkcs11/vendor-hsm.so', 'vendor-hsm', false],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a member copy judged by its check value', () => {
  // A token whose only answer is the check value: any other call is a surprise.
  const unexpected: HsmCaller = { call: (method) => Promise.reject(new Error(`${method} was not expected`)) };
  const answering = (answer: () => Promise<Buffer>): HsmToken => Object.assign(bindToken(unexpected, 'serial-a'), { keyCheckValue: answer });
  const failing = (code: ConstructorParameters<typeof KmsError>[0], ckr?: string) => () => Promise.reject(new HsmError(code, 'refused', ckr ?? null));

  it('is sound with its value, missing, unverifiable, or damaged with the reason', async () => {
    expect(await inspectCopy(answering(() => Promise.resolve(Buffer.from('0102030405060708', 'hex'))), 'id')).toEqual({ state: 'sound', value: '0102030405060708' });
    expect(await inspectCopy(answering(failing('HsmError.ObjectNotFound')), 'id')).toEqual({ state: 'missing' });
    expect(await inspectCopy(answering(failing('UnsupportedOperation')), 'id')).toEqual({ state: 'unverifiable' });
    expect(await inspectCopy(answering(failing('HsmError.Generic', 'CKR_KEY_SIZE_RANGE')), 'id')).toEqual({ state: 'damaged', reason: 'HsmError.Generic: refused' });
  });

  it('is not judged when the member does not answer', async () => {
    await expect(inspectCopy(answering(failing('HsmError.DeviceError')), 'id')).rejects.toThrow('refused');
  });
});
