import { randomUUID } from 'node:crypto';
import type { KeyRow } from '../../registry';
import { errorCodeOf } from '../../../../shared/errors';
import type { AuditTrail, MaintenanceEvent } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import type { KeyImportService } from './key-import-service';
import { destroyObjectsEverywhere } from './key-material';
import { MaintenanceProblems, type MaintenanceProblemSink } from './maintenance-problems';

export type { MaintenanceProblemSink } from './maintenance-problems';
import type { KeyVersionService } from './key-version-service';
import { materialStoreIdOf } from './material-store';

/** Who acts in audit records of work Keyward does by itself. */
export const MAINTENANCE_ACTOR = 'keyward:maintenance';

export interface StateChangeGate {
  shared<T>(work: () => Promise<T>): Promise<T>;
}

/** Work on secrets the same rounds carry out (destruction of secrets whose recovery window ended). */
export interface SecretsDueWork {
  /** Returns the names of the secrets destroyed. */
  destroyDue(request: RequestContext): string[];
}

/** The running application endpoint's certificate, renewed by the same rounds before it expires. */
export interface EndpointDueWork {
  /** True when a new certificate now serves. */
  renewCertificateIfDue(request: RequestContext): Promise<boolean>;
}

export interface MaintenanceReport {
  deleted: string[];
  /** Secrets destroyed after their recovery window (names). */
  secretsDestroyed: string[];
  rotated: string[];
  expired: string[];
  importTokensRemoved: number;
  endpointCertificateRenewed: boolean;
  /** Keys whose work failed this round (HSM error); they are retried on the next round. */
  failed: { keyId: string; code: string }[];
}

/**
 * Work that falls due with time: scheduled deletions (objects destroyed on every HSM of the
 * store, then the row tombstoned), automatic rotation, expiry of imported material and of
 * ImportTokens, and destruction of secrets whose recovery window ended. Key work needs a logged-in key store, so it runs whenever a store connects (which is
 * start-up for the CLI and after the officer unlocks the app) and on a timer; keys of a
 * disconnected store wait.
 */
export class KeyMaintenance {
  private running: Promise<MaintenanceReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly context: ServiceContext;
  private readonly connections: KeyStoreConnections;
  private readonly versions: KeyVersionService;
  private readonly keyImport: KeyImportService;
  private readonly audit: AuditTrail;
  private readonly secrets: SecretsDueWork | null;
  private readonly endpoint: EndpointDueWork | null;
  private readonly problems: MaintenanceProblems;
  private readonly gate: StateChangeGate | null;

  constructor(deps: {
    context: ServiceContext;
    connections: KeyStoreConnections;
    versions: KeyVersionService;
    keyImport: KeyImportService;
    audit: AuditTrail;
    secrets?: SecretsDueWork | null;
    endpoint?: EndpointDueWork | null;
    /** Hears each new problem (logged by the app); it is also audited. */
    onProblem: MaintenanceProblemSink;
    /** Rounds change state: a backup's snapshot waits for them. */
    gate?: StateChangeGate;
  }) {
    this.gate = deps.gate ?? null;
    this.context = deps.context;
    this.connections = deps.connections;
    this.versions = deps.versions;
    this.keyImport = deps.keyImport;
    this.audit = deps.audit;
    this.secrets = deps.secrets ?? null;
    this.endpoint = deps.endpoint ?? null;
    this.problems = new MaintenanceProblems(deps.audit, deps.onProblem);
    this.unsubscribe = deps.connections.onConnected(() => void this.runInBackground());
  }

  /** Runs a round every `intervalMs`; the timer never keeps the process alive. */
  start(intervalMs: number): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.runInBackground(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a round in progress. */
  async close(): Promise<void> {
    this.stopTimer();
    this.unsubscribe();
    await this.running?.catch(() => undefined);
  }

  /** One round; concurrent callers share the round in progress. */
  runDue(): Promise<MaintenanceReport> {
    if (!this.running) {
      const round = this.gate ? this.gate.shared(() => this.round()) : this.round();
      this.running = round.finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** A round nobody awaits: a failure of the round itself is reported, not thrown away. */
  private async runInBackground(): Promise<void> {
    try {
      await this.runDue();
      this.problems.solved('MaintenanceRound', '');
    } catch (error) {
      this.problems.failed(maintenanceRequest(), 'MaintenanceRound', '', error);
    }
  }

  private async round(): Promise<MaintenanceReport> {
    const request = maintenanceRequest();
    const report: MaintenanceReport = { deleted: [], secretsDestroyed: [], rotated: [], expired: [], importTokensRemoved: 0, endpointCertificateRenewed: false, failed: [] };
    const now = isoNow(this.context);
    try {
      // Needs no key store: a destroyed secret is gone with its rows.
      if (this.secrets) report.secretsDestroyed = this.secrets.destroyDue(request);
      this.problems.solved('DestroySecret', '');
    } catch (error) {
      // Retried next round; the secrets stay PendingDeletion meanwhile.
      this.problems.failed(request, 'DestroySecret', '', error);
    }
    const { keys } = this.context.registry;
    const attempt = async (work: MaintenanceEvent, key: KeyRow, run: () => Promise<void>, done: string[]): Promise<void> => {
      if (!this.connected(key)) return;
      try {
        await run();
        done.push(key.id);
        this.problems.solved(work, key.id);
      } catch (error) {
        report.failed.push({ keyId: key.id, code: errorCodeOf(error) ?? 'InternalFailure' });
        this.problems.failed(request, work, key.id, error);
      }
    };
    for (const key of keys.listDueForDeletion(now)) await attempt('DeleteKey', key, () => this.destroy(key, request), report.deleted);
    for (const key of keys.listDueForMaterialExpiry(now)) {
      const expire = () => this.keyImport.removeMaterial(key, request, 'ExpireKeyMaterial', { MaterialExpireTime: key.materialExpireTime ?? '' });
      await attempt('ExpireKeyMaterial', key, expire, report.expired);
    }
    for (const key of keys.listDueForRotation(now)) {
      if (key.keyState !== 'Enabled') continue;
      await attempt('RotateKey', key, async () => void (await this.versions.rotate(key, request, 'RotateKey')), report.rotated);
    }
    try {
      report.importTokensRemoved = await this.keyImport.removeExpiredTokens(request);
      this.problems.solved('ExpireImportToken', '');
    } catch (error) {
      // Retried next round; the tokens are refused as expired meanwhile.
      this.problems.failed(request, 'ExpireImportToken', '', error);
    }
    if (this.endpoint) {
      try {
        report.endpointCertificateRenewed = await this.endpoint.renewCertificateIfDue(request);
        this.problems.solved('RenewEndpointCertificate', '');
      } catch (error) {
        // Retried next round; the current certificate serves until it expires.
        this.problems.failed(request, 'RenewEndpointCertificate', '', error);
      }
    }
    return report;
  }

  /** Destroys every version's objects and outstanding import key pairs on every HSM, then tombstones the key. */
  private async destroy(key: KeyRow, request: RequestContext): Promise<void> {
    const { registry } = this.context;
    const storeId = materialStoreIdOf(registry, key);
    let destroyed = 0;
    const versions = registry.keyVersions.listByKey(key.id);
    for (const version of versions) destroyed += await destroyObjectsEverywhere(this.connections, storeId, version.objectId);
    const importTokens = registry.importTokens.listByKey(key.id);
    for (const token of importTokens) await destroyObjectsEverywhere(this.connections, storeId, token.wrappingObjectId);
    const tokens = this.connections.tokensOf(storeId).length;
    this.audit.recordChange(
      request,
      {
        operation: 'DeleteKey',
        resourceId: key.id,
        details: { DeleteDate: key.deleteDate ?? '', KeyVersions: versions.length, HsmObjectsDestroyed: destroyed, Hsms: tokens },
      },
      () => {
        // The tombstone frees the key's alias names and drops its tags; its import tokens go too.
        for (const token of importTokens) registry.importTokens.delete(token.tokenHash);
        registry.keys.markDeleted(key.id, isoNow(this.context));
      },
    );
  }

  private connected(key: KeyRow): boolean {
    return key.keyStoreId !== null && this.connections.get(materialStoreIdOf(this.context.registry, key)).state === 'CONNECTED';
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

function maintenanceRequest(): RequestContext {
  return { requestId: randomUUID(), transport: 'internal', actor: MAINTENANCE_ACTOR, progress: () => undefined };
}
