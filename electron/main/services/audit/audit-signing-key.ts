/**
 * The audit signing key: an EC P-256 key pair generated inside the default key store's token on
 * first use (sensitive, never extractable, a fixed CKA_ID so every process and every reopened
 * instance finds it), which signs audit exports. Made and used like the instance CA's key
 * (services/access/instance-ca.ts): signing happens in the HSM through the token handle.
 *
 * Its public key is cached in the registry's meta table so exports can be verified while the
 * default key store is locked; the HSM stays the source of truth: whenever the token is reachable
 * its public key is read there and a differing cache is rewritten.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { ecdsaRawToDer, publicKeyToSpki } from '../../hsm';
import type { DigestSigner } from '../certificates/hsm-signing-crypto';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import { DEFAULT_KEY_STORE_ID } from '../keystores/default-key-store';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { defaultStoreToken } from './audit-anchor';
import type { AuditTrail } from './audit-trail';
import { AUDIT_SIGNING_KEY_ID, AUDIT_SIGNING_LABEL } from './audit-signing-ids';
import { generateFixedEcKeyPair } from '../certificates/fixed-key-pair';

/** Meta key of the cached public key (PEM SPKI). */
export const AUDIT_SIGNING_KEY_META = 'audit_signing_public_key';

export interface AuditSigningKeyInfo {
  /** PEM SubjectPublicKeyInfo. */
  publicKeyPem: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex. */
  sha256: string;
}

export function signingKeyInfo(spkiDer: Buffer): AuditSigningKeyInfo {
  const pem = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem: pem, sha256: createHash('sha256').update(spkiDer).digest('hex') };
}

/** ECDSA over a SHA-256 digest with the signing key, inside the HSM (raw r||s). */
function signerOn(token: TokenHandle): DigestSigner {
  return (digest) => token.hsm.sign({ objectId: AUDIT_SIGNING_KEY_ID, mechanism: 'ECDSA', data: digest });
}

export class AuditSigningKey {
  /** One creation at a time in this process; another process racing us is settled by the token (its CKA_ID is fixed). */
  private creating: Promise<AuditSigningKeyInfo> | null = null;

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
  ) {}

  /** The key, made now if it does not exist yet; refuses (Forbidden.KeyStoreState) while the default key store is locked. */
  async describe(request: RequestContext): Promise<AuditSigningKeyInfo> {
    return this.ready(this.signingToken(), request);
  }

  /** A DER ECDSA-SHA256 signature over `data`, made in the HSM, and the key that made it. */
  async sign(data: Buffer, request: RequestContext): Promise<{ signatureDer: Buffer; key: AuditSigningKeyInfo }> {
    const token = this.signingToken();
    const key = await this.ready(token, request);
    const raw = await signerOn(token)(createHash('sha256').update(data).digest());
    return { signatureDer: ecdsaRawToDer(raw), key };
  }

  /**
   * The public key to verify exports with: the HSM's while the default key store is connected (it
   * is never created here), else the cached one; null when neither knows one.
   */
  async publicKeyPem(): Promise<string | null> {
    const token = defaultStoreToken(this.connections);
    if (token) {
      try {
        const found = await this.find(token);
        if (found) return found.publicKeyPem;
      } catch {
        // The token did not answer (sessions busy, device gone): the cached key still verifies.
      }
    }
    return this.context.registry.meta.get(AUDIT_SIGNING_KEY_META);
  }

  private signingToken(): TokenHandle {
    // requireTokens refuses with Forbidden.KeyStoreState while the store is not connected.
    const [token] = this.connections.requireTokens(DEFAULT_KEY_STORE_ID);
    return token as TokenHandle;
  }

  private async ready(token: TokenHandle, request: RequestContext): Promise<AuditSigningKeyInfo> {
    const found = await this.find(token);
    if (found) return found;
    this.creating ??= this.create(token, request).finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  /** The key pair's public half on the token (the cache rewritten if it differs), or null when there is none. */
  private async find(token: TokenHandle): Promise<AuditSigningKeyInfo | null> {
    let info: AuditSigningKeyInfo;
    try {
      info = signingKeyInfo(publicKeyToSpki(await token.hsm.getPublicKey({ objectId: AUDIT_SIGNING_KEY_ID })));
    } catch (error) {
      if (errorCodeOf(error) === 'HsmError.ObjectNotFound') return null;
      throw error;
    }
    if (this.context.registry.meta.get(AUDIT_SIGNING_KEY_META) !== info.publicKeyPem) {
      this.context.registry.meta.set(AUDIT_SIGNING_KEY_META, info.publicKeyPem);
    }
    return info;
  }

  private async create(token: TokenHandle, request: RequestContext): Promise<AuditSigningKeyInfo> {
    const created = await generateFixedEcKeyPair(token, AUDIT_SIGNING_KEY_ID, AUDIT_SIGNING_LABEL);
    const info = await this.find(token);
    // The pair was generated a moment ago (by us or by a racing process): a missing one is a device fault.
    if (!info) throw new KmsError('HsmError.DeviceError', 'The audit signing key pair is missing from the token right after it was generated.');
    if (created) {
      this.audit.recordEvent(request, { operation: 'GetAuditSigningKey', resourceId: 'audit-signing-key', details: { Created: true, Sha256: info.sha256 } });
    }
    return info;
  }

}
