/**
 * Officers' own tokens, reached through a registered module: the approval key's public half is
 * read without a login (public objects), and a digest is signed with the officer's PIN, which goes
 * to C_Login only and is logged out of again at once.
 */
import { createHash } from 'node:crypto';
import { KmsError } from '../../../../shared/errors';
import { bindToken, publicKeyToKeyObject, type HsmModuleClient } from '../../hsm';
import type { OfficerRow } from '../../registry';
import { moduleSpecOf } from '../modules/module-service';
import type { ServiceContext } from '../service-context';
import { describe, type ApprovalPublicKey } from './approval-keys';

export interface OfficerTokenKey {
  moduleId: string;
  serial: string;
  keyLabel: string;
}

export class OfficerTokens {
  constructor(private readonly context: ServiceContext) {}

  /** Finds the token (by serial or slot) and reads the public key labelled `keyLabel` on it, logged in with `pin` for this call only. */
  async readPublicKey(
    moduleId: string,
    token: { TokenSerial?: string | undefined; SlotId?: number | undefined },
    keyLabel: string,
    pin: string,
  ): Promise<{ key: ApprovalPublicKey; serial: string }> {
    const client = this.client(moduleId);
    const slots = await client.listSlots();
    const slot = slots.find((candidate) => (token.TokenSerial !== undefined ? candidate.token?.serial === token.TokenSerial : candidate.slotId === token.SlotId));
    const serial = slot?.token?.serial;
    if (!serial) throw new KmsError('HsmError.TokenNotPresent', `Module ${moduleId} has no token ${token.TokenSerial ?? `in slot ${token.SlotId ?? '(none given)'}`}.`);
    return this.loggedIn(client, serial, pin, async () => {
      const objectId = await this.objectIdOf(client, serial, keyLabel, 'PUBLIC_KEY');
      const material = await bindToken(client, serial).getPublicKey({ objectId });
      return { key: describe(publicKeyToKeyObject(material)), serial };
    });
  }

  /** Signs SHA-256(digest bytes) with the private key labelled `keyLabel`, logged in with `pin` for this call only. */
  async signDigest(key: OfficerTokenKey, keySpec: string, digestHex: string, pin: string): Promise<Buffer> {
    const client = this.client(key.moduleId);
    return this.loggedIn(client, key.serial, pin, async () => {
      const objectId = await this.objectIdOf(client, key.serial, key.keyLabel, 'PRIVATE_KEY');
      const hashed = createHash('sha256').update(Buffer.from(digestHex, 'hex')).digest();
      return bindToken(client, key.serial).sign({ objectId, mechanism: keySpec === 'EC_P256' ? 'ECDSA' : 'RSA_PKCS_SHA256_DIGEST', data: hashed });
    });
  }

  /**
   * Signs a digest on the officer's enrolled token with their PIN (an approval, a ceremony
   * sign-off). An officer enrolled with a PEM key has no token here: `action` names what they do
   * with a Signature made on their own device instead.
   */
  async signAsOfficer(officer: OfficerRow, digestHex: string, pin: string, action: string): Promise<Buffer> {
    if (!officer.moduleId || !officer.tokenSerial || !officer.keyLabel) {
      throw new KmsError('InvalidParameter', `Officer ${officer.name} was enrolled with a public key only: ${action} with a Signature made on their own device.`);
    }
    return this.signDigest({ moduleId: officer.moduleId, serial: officer.tokenSerial, keyLabel: officer.keyLabel }, officer.keySpec, digestHex, pin);
  }

  /** The officer's login lasts for `work` only: their token is theirs, not Keyward's. */
  private async loggedIn<T>(client: HsmModuleClient, serial: string, pin: string, work: () => Promise<T>): Promise<T> {
    const token = bindToken(client, serial);
    // A login left by an interrupted call would let a wrong PIN through: log out first.
    await token.logout().catch(() => undefined);
    await token.login({ userPin: pin });
    try {
      return await work();
    } finally {
      await token.logout().catch(() => undefined);
    }
  }

  private client(moduleId: string): HsmModuleClient {
    const row = this.context.registry.modules.get(moduleId);
    if (!row) throw new KmsError('NotFound.Module', `Module ${moduleId} is not registered.`);
    return this.context.hsm.client(moduleSpecOf(row));
  }

  private async objectIdOf(client: HsmModuleClient, serial: string, label: string, objectClass: 'PUBLIC_KEY' | 'PRIVATE_KEY'): Promise<string> {
    const objects = await bindToken(client, serial).listObjects();
    const matches = objects.filter((object) => object.label === label && object.objectClass === objectClass);
    const [only] = matches;
    if (!only || matches.length > 1) {
      throw new KmsError('HsmError.ObjectNotFound', `Token ${serial} holds ${matches.length === 0 ? 'no' : 'more than one'} ${objectClass === 'PUBLIC_KEY' ? 'public' : 'private'} key labelled ${label}.`);
    }
    return only.objectId;
  }
}
