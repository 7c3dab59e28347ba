import { KmsError } from '../../../../shared/errors';
import type { ClientKeySummaryRow } from '../../registry';
import type { ServiceContext } from '../service-context';
import type { ClientKeyCredentials, ClientKeyRecord } from './access-seams';
import type { AccessKeySecrets } from './access-key-secrets';

function toRecord(row: ClientKeySummaryRow | null): ClientKeyRecord | null {
  if (!row) return null;
  return {
    clientKeyId: row.clientKeyId,
    aapName: row.accessPointName,
    certificateSha256: row.certificateSha256,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
  };
}

/**
 * What the application endpoint asks about a client key on every request: registry point reads
 * (prepared statements), so a deleted key is refused from the next request on; the access key
 * secret is opened in the HSM only when a SigV4 signature must be checked.
 */
export class RegistryClientKeyCredentials implements ClientKeyCredentials {
  constructor(
    private readonly context: ServiceContext,
    private readonly secrets: AccessKeySecrets,
  ) {}

  byCertificateSha256(sha256: string): ClientKeyRecord | null {
    return toRecord(this.context.registry.clientKeys.summaryByCertificateSha256(sha256.toLowerCase()));
  }

  byClientKeyId(clientKeyId: string): ClientKeyRecord | null {
    return toRecord(this.context.registry.clientKeys.summary(clientKeyId));
  }

  async accessKeySecret(clientKeyId: string): Promise<Buffer> {
    const row = this.context.registry.clientKeys.get(clientKeyId);
    if (!row) throw new KmsError('NotFound.ClientKey', `Client key ${clientKeyId} does not exist.`);
    return this.secrets.open({ kind: 'client-key', id: row.clientKeyId }, row);
  }
}
