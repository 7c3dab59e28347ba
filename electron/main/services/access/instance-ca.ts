/**
 * The instance CA: an EC P-256 key pair generated inside the default key store's token (sensitive,
 * never extractable, a fixed CKA_ID so every process and every reopened instance finds it) and a
 * self-signed certificate kept in the registry. Made on first need; the default key store must be
 * connected whenever the CA signs (its key is used only inside the HSM).
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { publicKeyToSpki } from '../../hsm';
import { RegistryConstraintError, type InstanceCaRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { ArnScope } from '../keys/key-metadata';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import { DEFAULT_KEY_STORE_ID } from '../keystores/default-key-store';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import type { DigestSigner } from '../certificates/hsm-signing-crypto';
import type { InstanceCaSigner } from './access-seams';
import { createCaCertificate, issueLeafCertificate, type CaIdentity, type IssuedCertificate, type LeafRequest } from './ca-certificates';
import { generateFixedEcKeyPair } from '../certificates/fixed-key-pair';

export const INSTANCE_CA_LABEL = 'keyward-instance-ca';
/** CKA_ID of the CA key pair: fixed (the bytes of "keyward:inst-ca1"), like the audit anchor key. */
export const INSTANCE_CA_KEY_ID = Buffer.from('keyward:inst-ca1', 'ascii').toString('hex');

export interface CaCertificateInfo {
  pem: string;
  sha256: string;
  notAfter: string;
}

/** A leaf the CA issues for a client key (the subject and validity are the caller's). */
export type ClientCertificateRequest = Pick<LeafRequest, 'subject' | 'publicKeySpki' | 'notBefore' | 'notAfter'>;

/** ECDSA over a SHA-256 digest with the CA key, inside the HSM (raw r||s). */
function signerOn(token: TokenHandle, objectId: string): DigestSigner {
  return (digest) => token.hsm.sign({ objectId, mechanism: 'ECDSA', data: digest });
}

function internalRequest(): RequestContext {
  return { requestId: randomUUID(), transport: 'internal', actor: 'keyward', progress: () => undefined };
}

export function certificateInfo(pem: string): CaCertificateInfo {
  const certificate = new X509Certificate(pem);
  return {
    pem,
    sha256: createHash('sha256').update(certificate.raw).digest('hex'),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

export class InstanceCa implements InstanceCaSigner {
  /** One creation at a time in this process; another process racing us is settled by the registry row. */
  private creating: Promise<InstanceCaRow> | null = null;

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
    private readonly scope: ArnScope,
  ) {}

  /** The certificate is public: once made, it is shown while the default key store is locked too. */
  async certificate(request: RequestContext): Promise<CaCertificateInfo> {
    const row = this.context.registry.instanceCa.get() ?? (await this.ready(request)).row;
    return certificateInfo(row.certificatePem);
  }

  async issueServerCertificate(addresses: readonly string[], publicKeySpkiDer: Buffer, validityDays: number): Promise<string> {
    const { row, signDigest } = await this.ready(internalRequest());
    const now = this.context.now();
    const issued = await issueLeafCertificate(
      {
        caCertificatePem: row.certificatePem,
        signDigest,
        subject: [{ CN: [addresses[0] ?? 'localhost'] }, { O: ['Keyward'] }, { OU: ['Application endpoint'] }],
        publicKeySpki: publicKeySpkiDer,
        notBefore: now,
        notAfter: new Date(now.getTime() + validityDays * 86_400_000),
        usage: { kind: 'server', addresses },
      },
      now,
    );
    return issued.pem;
  }

  /** The client's certificate, and the CA's (PEM and DER) for the file handed to the application. */
  async issueClientCertificate(leaf: ClientCertificateRequest, request: RequestContext): Promise<IssuedCertificate & { caCertificatePem: string; caCertificateDer: Buffer }> {
    const { row, signDigest } = await this.ready(request);
    const issued = await issueLeafCertificate({ ...leaf, caCertificatePem: row.certificatePem, signDigest, usage: { kind: 'client' } }, this.context.now());
    return { ...issued, caCertificatePem: row.certificatePem, caCertificateDer: new X509Certificate(row.certificatePem).raw };
  }

  /** The CA, made now if it does not exist yet; refuses (Forbidden.KeyStoreState) while the default key store is locked. */
  private async ready(request: RequestContext): Promise<{ row: InstanceCaRow; signDigest: DigestSigner }> {
    const token = this.signingToken();
    let row = this.context.registry.instanceCa.get();
    if (!row) {
      this.creating ??= this.create(token, request).finally(() => {
        this.creating = null;
      });
      row = await this.creating;
    }
    return { row, signDigest: signerOn(token, row.objectId) };
  }

  private signingToken(): TokenHandle {
    // requireTokens refuses with Forbidden.KeyStoreState while the store is not connected.
    const [token] = this.connections.requireTokens(DEFAULT_KEY_STORE_ID);
    return token as TokenHandle;
  }

  private async create(token: TokenHandle, request: RequestContext): Promise<InstanceCaRow> {
    await this.generateKeyPair(token);
    const publicKeySpki = publicKeyToSpki(await token.hsm.getPublicKey({ objectId: INSTANCE_CA_KEY_ID }));
    const identity: CaIdentity = { publicKeySpki, signDigest: signerOn(token, INSTANCE_CA_KEY_ID) };
    const certificate = await createCaCertificate(identity, this.scope.owner, this.context.now());
    const row: InstanceCaRow = { keyStoreId: DEFAULT_KEY_STORE_ID, objectId: INSTANCE_CA_KEY_ID, certificatePem: certificate.pem, createdAt: isoNow(this.context) };
    const info = certificateInfo(certificate.pem);
    try {
      this.audit.recordChange(
        request,
        { operation: 'GetInstanceCaCertificate', resourceId: 'instance-ca', details: { Created: true, Sha256: info.sha256, NotAfter: info.notAfter } },
        () => this.context.registry.instanceCa.insert(row),
      );
      return row;
    } catch (error) {
      // Another process (the CLI next to the console) stored its certificate over the same key first.
      const stored = error instanceof RegistryConstraintError && error.kind === 'unique' ? this.context.registry.instanceCa.get() : null;
      if (!stored) throw error;
      return stored;
    }
  }

  private async generateKeyPair(token: TokenHandle): Promise<void> {
    await generateFixedEcKeyPair(token, INSTANCE_CA_KEY_ID, INSTANCE_CA_LABEL);
  }
}
