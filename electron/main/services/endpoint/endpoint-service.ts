import { randomUUID } from 'node:crypto';
import type { OperationOutput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { InstanceCaSigner } from '../access/access-seams';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import type { XksProxyGate } from '../xks/xks-proxy-gate';
import type { ApplicationGate } from './application-gate';
import type { EndpointController } from './endpoint-controller';
import type { RecentCalls } from './recent-calls';
import { issueServerIdentity, SERVER_CERTIFICATE_RENEW_AFTER_MS } from './server-identity';

type EndpointDescription = Omit<OperationOutput<'DescribeApplicationEndpoint'>, 'RequestId'>;

interface Running {
  address: string;
  port: number;
  certificateSha256: string;
  startedAt: string;
  /** When maintenance replaces the certificate (epoch ms, by the service's clock). */
  renewAt: number;
}

export interface EndpointServiceDeps {
  context: ServiceContext;
  audit: AuditTrail;
  controller: EndpointController;
  ca: InstanceCaSigner;
  gate: ApplicationGate;
  xks: XksProxyGate;
  recentCalls: RecentCalls;
}

/** Starts and stops the application endpoint (off by default) and describes it. */
export class EndpointService {
  private running: Running | null = null;
  /** Start and stop take turns: a second start while the first is still issuing its certificate is refused. */
  private busy = false;
  /** A certificate renewal in progress: closing waits for it rather than refusing to stop. */
  private renewing: Promise<unknown> | null = null;

  constructor(private readonly deps: EndpointServiceDeps) {}

  async start(input: { Address: string; Port: number }, request: RequestContext): Promise<EndpointDescription> {
    if (this.running || this.busy) throw new KmsError('Forbidden.EndpointState', 'The application endpoint is already running.');
    this.busy = true;
    try {
      const { pem: caCertificatePem } = await this.deps.ca.certificate(request);
      const identity = await issueServerIdentity(this.deps.ca, input.Address);
      const { port } = await this.listen({ address: input.Address, port: input.Port, certificatePem: identity.certificatePem, privateKey: identity.privateKey, caCertificatePem, gate: this.deps.gate, xks: this.deps.xks });
      const running = { address: input.Address, port, certificateSha256: identity.certificateSha256, startedAt: isoNow(this.deps.context), renewAt: this.renewalTime() };
      try {
        this.deps.audit.recordEvent(request, { operation: 'StartApplicationEndpoint', resourceId: `${input.Address}:${port}`, details: { TlsCertificateSha256: running.certificateSha256 } });
      } catch (error) {
        // An endpoint that is not in the audit trail must not serve.
        await this.deps.controller.close();
        throw error;
      }
      this.running = running;
      return this.describe();
    } finally {
      this.busy = false;
    }
  }

  async stop(request: RequestContext): Promise<EndpointDescription> {
    const running = this.running;
    if (!running || this.busy) throw new KmsError('Forbidden.EndpointState', 'The application endpoint is not running.');
    this.busy = true;
    try {
      await this.deps.controller.close();
      this.running = null;
      this.deps.audit.recordEvent(request, { operation: 'StopApplicationEndpoint', resourceId: `${running.address}:${running.port}` });
      return this.describe();
    } finally {
      this.busy = false;
    }
  }

  /** A maintenance round: a running endpoint whose certificate is a day old gets a new key pair and certificate. */
  async renewCertificateIfDue(request: RequestContext): Promise<boolean> {
    const running = this.running;
    if (!running || this.busy || this.deps.context.now().getTime() < running.renewAt) return false;
    this.busy = true;
    const renewal = this.renew(running, request);
    this.renewing = renewal.catch(() => undefined);
    try {
      return await renewal;
    } finally {
      this.renewing = null;
      this.busy = false;
    }
  }

  private async renew(running: Running, request: RequestContext): Promise<boolean> {
    const { pem: caCertificatePem } = await this.deps.ca.certificate(request);
    const identity = await issueServerIdentity(this.deps.ca, running.address);
    if (this.running !== running) return false;
    this.deps.audit.recordEvent(request, {
      operation: 'RenewEndpointCertificate',
      resourceId: `${running.address}:${running.port}`,
      details: { TlsCertificateSha256: identity.certificateSha256, PreviousTlsCertificateSha256: running.certificateSha256 },
    });
    this.deps.controller.renewIdentity({ certificatePem: identity.certificatePem, privateKey: identity.privateKey, caCertificatePem });
    this.running = { ...running, certificateSha256: identity.certificateSha256, renewAt: this.renewalTime() };
    return true;
  }

  describe(): EndpointDescription {
    const running = this.running;
    return {
      State: running ? 'RUNNING' : 'STOPPED',
      Address: running?.address ?? '',
      Port: running?.port ?? 0,
      TlsCertificateSha256: running?.certificateSha256 ?? '',
      StartedAt: running?.startedAt ?? '',
      RecentCalls: this.deps.recentCalls.list(),
    };
  }

  /** The core is closing (or reopening after a restore): the endpoint stops with it. */
  async close(): Promise<void> {
    await this.renewing;
    if (!this.running) {
      // A start still issuing its certificate may be about to listen: make sure nothing stays open.
      await this.deps.controller.close();
      return;
    }
    await this.stop({ requestId: randomUUID(), transport: 'internal', actor: 'keyward', progress: () => undefined });
  }

  private renewalTime(): number {
    return this.deps.context.now().getTime() + SERVER_CERTIFICATE_RENEW_AFTER_MS;
  }

  private async listen(options: Parameters<EndpointController['listen']>[0]): Promise<{ port: number }> {
    try {
      return await this.deps.controller.listen(options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
        throw new KmsError('EndpointAddressUnavailable', `Cannot listen on ${options.address}:${options.port} (${code}).`);
      }
      throw error;
    }
  }
}
