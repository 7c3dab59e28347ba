import type { BufferedAuditWriter } from '../../registry';
import type { AccessAuthorizer, ClientKeyCredentials, InstanceCaSigner } from '../access/access-seams';
import type { AuditTrail } from '../audit/audit-trail';
import type { ArnScope } from '../keys/key-metadata';
import type { ServiceContext } from '../service-context';
import type { XksProxyGate } from '../xks/xks-proxy-gate';
import { ApplicationGate } from './application-gate';
import type { EndpointController } from './endpoint-controller';
import { EndpointService } from './endpoint-service';
import { RecentCalls } from './recent-calls';

export interface EndpointServiceParts {
  context: ServiceContext;
  audit: AuditTrail;
  usageWriter: BufferedAuditWriter;
  scope: ArnScope;
  controller: EndpointController;
  ca: InstanceCaSigner;
  credentials: ClientKeyCredentials;
  authorizer: AccessAuthorizer;
  xks: XksProxyGate;
}

/** The endpoint service and the gate its calls pass, sharing one recent-calls ring. */
export function createEndpointService(parts: EndpointServiceParts): EndpointService {
  const recentCalls = new RecentCalls();
  const gate = new ApplicationGate({ context: parts.context, credentials: parts.credentials, authorizer: parts.authorizer, usageWriter: parts.usageWriter, recentCalls, scope: parts.scope });
  return new EndpointService({ context: parts.context, audit: parts.audit, controller: parts.controller, ca: parts.ca, gate, xks: parts.xks, recentCalls });
}
