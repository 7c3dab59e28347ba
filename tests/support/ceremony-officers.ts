import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { OfficerRole } from '../../shared/contract';
import type { TestCore } from './test-core';

/** An officer whose approval key never touches Keyward: signatures are made here, as openssl would. */
export interface PemOfficer {
  name: string;
  privateKey: KeyObject;
  /** Signs a hex digest's 32 bytes with SHA-256 (DER ECDSA), base64. */
  signDigest(digestHex: string): string;
}

export async function enrollPemOfficer(t: TestCore, name: string, roles: OfficerRole[]): Promise<PemOfficer> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await t.call('CreateOfficer', { Name: name, Roles: roles, ApprovalKey: { PublicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() } });
  return {
    name,
    privateKey: pair.privateKey,
    signDigest: (digestHex) => sign('sha256', Buffer.from(digestHex, 'hex'), pair.privateKey).toString('base64'),
  };
}
