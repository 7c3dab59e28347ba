import { createHash, generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DEFAULT_CLIENT_KEY_YEARS, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type ClientKeySummaryRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import type { AccessKeySecrets } from './access-key-secrets';
import type { InstanceCa } from './instance-ca';
import { buildPkcs12 } from './pkcs12';

const generateRsaKeyPair = promisify(generateKeyPair);
/** 30 random bytes: 40 base64url characters. */
const ACCESS_KEY_SECRET_BYTES = 30;

type ClientKeySummary = OperationResult<'ListClientKeys'>['ClientKeys'][number];

function noAccessPoint(name: string): KmsError {
  return new KmsError('NotFound.ApplicationAccessPoint', `Application access point ${name} does not exist.`);
}

function toSummary(row: ClientKeySummaryRow): ClientKeySummary {
  return {
    ClientKeyId: row.clientKeyId,
    AapName: row.accessPointName,
    KeyAlgorithm: row.keyAlgorithm,
    NotBefore: row.notBefore,
    NotAfter: row.notAfter,
    CertificateSha256: row.certificateSha256,
    CreatedAt: row.createdAt,
  };
}

/** NotBefore defaults to now, NotAfter to five years after NotBefore; NotAfter must come later. */
function validity(input: ParsedInput<'CreateClientKey'>, now: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = input.NotBefore === undefined ? now : new Date(input.NotBefore);
  let notAfter: Date;
  if (input.NotAfter === undefined) {
    notAfter = new Date(notBefore);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + DEFAULT_CLIENT_KEY_YEARS);
  } else {
    notAfter = new Date(input.NotAfter);
  }
  if (!(notAfter.getTime() > notBefore.getTime())) throw new KmsError('InvalidParameter', 'NotAfter must be later than NotBefore.');
  // Whole seconds: what the certificate holds (X.509 times have no fraction) is what the registry says.
  return { notBefore: new Date(Math.floor(notBefore.getTime() / 1000) * 1000), notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000) };
}

/**
 * Client keys of application access points: an RSA-2048 key pair made here (the application keeps
 * it), its certificate signed by the instance CA inside the HSM, handed out once as a PKCS#12
 * under the officer's password together with an access key secret for SigV4. Keyward keeps the
 * certificate (its row is its validity) and the secret sealed; never the private key or password.
 */
export class ClientKeyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly ca: InstanceCa,
    private readonly secrets: AccessKeySecrets,
    private readonly audit: AuditTrail,
  ) {}

  async create(input: ParsedInput<'CreateClientKey'>, request: RequestContext): Promise<OperationResult<'CreateClientKey'>> {
    const { registry } = this.context;
    if (!registry.clientKeys.accessPointExists(input.AapName)) throw noAccessPoint(input.AapName);
    const { notBefore, notAfter } = validity(input, this.context.now());
    const clientKeyId = `KAAP.${randomUUID()}`;
    const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
    const certificate = await this.ca.issueClientCertificate(
      {
        subject: [{ CN: [clientKeyId] }, { O: ['Keyward'] }, { OU: [input.AapName] }],
        publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }),
        notBefore,
        notAfter,
      },
      request,
    );
    const privateKeyPkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const secret = Buffer.from(randomBytes(ACCESS_KEY_SECRET_BYTES).toString('base64url'), 'ascii');
    let pkcs12: Buffer | null = null;
    try {
      pkcs12 = await buildPkcs12({ privateKeyPkcs8, certificates: [certificate.der, certificate.caCertificateDer], friendlyName: clientKeyId }, input.Password);
      const sealed = await this.secrets.seal({ kind: 'client-key', id: clientKeyId }, secret, request);
      const certificateSha256 = createHash('sha256').update(certificate.der).digest('hex');
      const row = {
        clientKeyId,
        accessPointName: input.AapName,
        keyAlgorithm: 'RSA_2048' as const,
        certificatePem: certificate.pem,
        certificateSerial: certificate.serialNumber,
        certificateSha256,
        notBefore: notBefore.toISOString(),
        notAfter: notAfter.toISOString(),
        ...sealed,
        createdAt: isoNow(this.context),
      };
      const details = { AapName: input.AapName, CertificateSha256: certificateSha256, SerialNumber: certificate.serialNumber, NotBefore: row.notBefore, NotAfter: row.notAfter };
      try {
        this.audit.recordChange(request, { operation: 'CreateClientKey', resourceId: clientKeyId, details }, () => {
          this.secrets.requireStillUsable(sealed.secretKeyId);
          registry.clientKeys.insert(row);
        });
      } catch (error) {
        // The access point was deleted while the key was being made.
        if (error instanceof RegistryConstraintError && error.kind === 'foreignKey') throw noAccessPoint(input.AapName);
        throw error;
      }
      return {
        ClientKeyId: clientKeyId,
        KeyAlgorithm: 'RSA_2048',
        PrivateKeyData: pkcs12.toString('base64'),
        AccessKeySecret: secret.toString('ascii'),
        CaCertificate: certificate.caCertificatePem,
        NotBefore: row.notBefore,
        NotAfter: row.notAfter,
        CertificateSha256: certificateSha256,
      };
    } finally {
      // The strings handed back cannot be wiped; the buffers behind them can.
      privateKeyPkcs8.fill(0);
      secret.fill(0);
      pkcs12?.fill(0);
    }
  }

  list(input: ParsedInput<'ListClientKeys'>): OperationResult<'ListClientKeys'> {
    const { clientKeys } = this.context.registry;
    if (!clientKeys.accessPointExists(input.AapName)) throw noAccessPoint(input.AapName);
    return { ClientKeys: clientKeys.listByAccessPoint(input.AapName).map(toSummary) };
  }

  /** Revocation: the row goes, and the endpoint refuses the certificate from its next request on. */
  delete(input: ParsedInput<'DeleteClientKey'>, request: RequestContext): OperationResult<'DeleteClientKey'> {
    const { clientKeys } = this.context.registry;
    const existing = clientKeys.summary(input.ClientKeyId);
    if (!existing) throw new KmsError('NotFound.ClientKey', `Client key ${input.ClientKeyId} does not exist.`);
    const details = { AapName: existing.accessPointName, CertificateSha256: existing.certificateSha256 };
    this.audit.recordChange(request, { operation: 'DeleteClientKey', resourceId: input.ClientKeyId, details }, () => {
      if (!clientKeys.delete(input.ClientKeyId)) throw new KmsError('NotFound.ClientKey', `Client key ${input.ClientKeyId} does not exist.`);
    });
    return {};
  }
}
