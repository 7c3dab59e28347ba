/**
 * One key version's material put through a round trip inside one HSM token: what proves that a
 * restored (or surviving) object is the key the registry describes and still works, without the
 * material ever leaving the HSM and without the policy checks of the crypto operations (a Disabled
 * key's material matters as much as an Enabled one's).
 */
import { createHash, constants as cryptoConstants, publicEncrypt, randomBytes, verify as verifySignature } from 'node:crypto';
import type { KeySpec, KeyUsage } from '../../../../shared/contract';
import { publicKeyToKeyObject, type HsmToken, type SignMechanism } from '../../hsm';
import { materialSpecOf } from '../keys/key-specs';

/** What the check knows of a version: its spec and usage from the registry, its objects' CKA_ID. */
export interface VersionMaterial {
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  objectId: string;
}

/** The token answered, but not as the key the registry describes would: a verdict on the material. */
export class MaterialMismatch extends Error {}

const PROBE = Buffer.from('Keyward material check: the same bytes must come back.');
const PROBE_DIGEST = createHash('sha256').update(PROBE).digest();
const AES_GCM_IV_BYTES = 12;

/**
 * Runs the round trip that fits the version's spec and usage on `token`; resolves when it holds,
 * throws MaterialMismatch when the answer is wrong, or the token's own error (e.g. ObjectNotFound).
 * `aesGcm` false: the token cannot run AES-GCM (a p11-kit member), so an AES key is checked by its
 * check value (AES-ECB inside the HSM), which still needs usable material.
 */
export async function roundTrip(token: HsmToken, version: VersionMaterial, aesGcm: boolean): Promise<void> {
  const material = materialSpecOf(version.keySpec);
  const objectId = version.objectId;
  if (material.kind === 'AES') {
    if (aesGcm) await aesRoundTrip(token, objectId);
    else await token.keyCheckValue({ objectId });
    return;
  }
  if (material.kind === 'HMAC') {
    await macRoundTrip(token, objectId, material.bits === 256 ? 'SHA256_HMAC' : 'SHA512_HMAC');
    return;
  }
  if (material.kind === 'RSA' && version.keyUsage === 'ENCRYPT/DECRYPT') {
    await rsaOaepRoundTrip(token, objectId);
    return;
  }
  await signatureRoundTrip(token, objectId, material.kind);
}

async function aesRoundTrip(token: HsmToken, objectId: string): Promise<void> {
  const mechanism = { kind: 'AES_GCM', iv: randomBytes(AES_GCM_IV_BYTES), aad: PROBE_DIGEST, tagBits: 128 } as const;
  const sealed = await token.encrypt({ objectId, mechanism, data: PROBE });
  const opened = await token.decrypt({ objectId, mechanism, data: sealed });
  if (!opened.equals(PROBE)) throw new MaterialMismatch('AES-GCM decryption of the probe gave other bytes.');
}

async function macRoundTrip(token: HsmToken, objectId: string, mechanism: SignMechanism): Promise<void> {
  const mac = await token.sign({ objectId, mechanism, data: PROBE });
  if (!(await token.verify({ objectId, mechanism, data: PROBE, signature: mac }))) {
    throw new MaterialMismatch('The HMAC of the probe does not verify with the same key.');
  }
}

/**
 * Encrypts outside with the token's public key and decrypts inside: the private key must be the
 * other half of the public key Keyward publishes (GetPublicKey) for this version.
 */
async function rsaOaepRoundTrip(token: HsmToken, objectId: string): Promise<void> {
  const publicKey = publicKeyToKeyObject(await token.getPublicKey({ objectId }));
  const sealed = publicEncrypt({ key: publicKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, PROBE);
  const opened = await token.decrypt({ objectId, mechanism: { kind: 'RSA_OAEP_SHA1' }, data: sealed });
  if (!opened.equals(PROBE)) throw new MaterialMismatch('RSA-OAEP decryption of the probe gave other bytes.');
}

/** Signs inside, verifies outside against the published public key (mechanisms p11-kit members forward too). */
async function signatureRoundTrip(token: HsmToken, objectId: string, kind: 'RSA' | 'EC' | 'ED25519'): Promise<void> {
  const publicKey = publicKeyToKeyObject(await token.getPublicKey({ objectId }));
  let valid: boolean;
  if (kind === 'ED25519') {
    const signature = await token.sign({ objectId, mechanism: 'EDDSA', data: PROBE });
    valid = verifySignature(null, PROBE, publicKey, signature);
  } else if (kind === 'EC') {
    // PKCS#11 gives ECDSA as raw r||s.
    const signature = await token.sign({ objectId, mechanism: 'ECDSA', data: PROBE_DIGEST });
    valid = verifySignature('sha256', PROBE, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } else {
    const signature = await token.sign({ objectId, mechanism: 'RSA_PKCS_SHA256_DIGEST', data: PROBE_DIGEST });
    valid = verifySignature('sha256', PROBE, publicKey, signature);
  }
  if (!valid) throw new MaterialMismatch('The signature made in the HSM does not verify against the key’s public key.');
}
