import type { AccessKeySecrets } from '../access/access-key-secrets';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyUse } from '../crypto/key-use';
import type { KeyStoreConnections } from '../keystores/connections';
import type { ServiceContext } from '../service-context';
import { XksHealthCheck } from './xks-health';
import { XksKeyOperations } from './xks-key-operations';
import { XksProxyGate } from './xks-proxy-gate';
import { XksProxyService } from './xks-proxy-service';

export interface XksServiceParts {
  context: ServiceContext;
  connections: KeyStoreConnections;
  audit: AuditTrail;
  use: KeyUse;
  /** The same sealing as client keys' access key secrets (one CMK, bound per owner). */
  secrets: AccessKeySecrets;
}

/** The XKS proxy management service and the gate the application endpoint serves the XKS API through. */
export function createXksServices(parts: XksServiceParts): { proxies: XksProxyService; gate: XksProxyGate } {
  const keys = new XksKeyOperations(parts.context, parts.use);
  const health = new XksHealthCheck(parts.context, parts.connections);
  return { proxies: new XksProxyService(parts.context, parts.secrets, parts.audit), gate: new XksProxyGate(parts.context, parts.secrets, keys, health) };
}
