import { KmsError } from '../../../../shared/errors';
import type { XksProxyRow } from '../../registry';
import type { AccessKeySecrets } from '../access/access-key-secrets';
import type { ServiceContext } from '../service-context';
import type { XksHealthCheck } from './xks-health';
import type { XksKeyOperations } from './xks-key-operations';
import { matchXksPath, type XksRoute } from './xks-paths';
import { credentialBinding } from './xks-proxy-service';

/**
 * What the application endpoint asks about an XKS request: which proxy serves its path, the secret
 * its SigV4 access key id names (only a credential of that proxy), and the key operations and health
 * check on the proxy's store. Registry point reads on every request, so a deleted proxy or a retired
 * credential is refused from the next request on.
 */
export class XksProxyGate {
  constructor(
    private readonly context: ServiceContext,
    private readonly secrets: AccessKeySecrets,
    readonly keys: XksKeyOperations,
    readonly health: XksHealthCheck,
  ) {}

  /** The proxy under whose UriPath `path` lies, and the API URI it names (null: not one of the API's). */
  match(path: string): { proxy: XksProxyRow; route: XksRoute | null } | null {
    return matchXksPath(path, this.context.registry.xksProxies.list());
  }

  /** The secret access key of one of the proxy's credentials, opened in the HSM; the caller zeroes it. */
  async signingSecret(proxy: XksProxyRow, accessKeyId: string): Promise<Buffer> {
    const credential = this.context.registry.xksProxies.credential(accessKeyId);
    if (!credential || credential.proxyId !== proxy.id) {
      throw new KmsError('Unauthenticated.Signature', 'The signature’s access key id is not a live credential of this XKS proxy.');
    }
    return this.secrets.open(credentialBinding(proxy.id, accessKeyId), credential);
  }
}
