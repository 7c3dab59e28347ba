import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { AuditHead, BufferedAuditWriter } from '../../registry';
import type { KeyStoreConnections } from '../keystores/connections';
import { DEFAULT_KEY_STORE_ID } from '../keystores/default-key-store';
import type { ServiceContext } from '../service-context';
import { AuditAnchorStore } from './anchor-store';
import { type AuditAnchorer, defaultStoreToken } from './audit-anchor';
import { auditTimeBound } from './audit-time-bound';
import { toAuditEvent } from './audit-export-format';
import { type HsmAnchorCheck, auditVerdict } from './audit-verdict';

const NOT_CONNECTED =
  'the anchor held in the HSM was not checked: the default key store is not connected (connect it and verify again to detect a rewritten log)';

export class AuditService {
  private readonly anchors = new AuditAnchorStore();

  constructor(
    private readonly context: ServiceContext,
    private readonly usageWriter: BufferedAuditWriter,
    private readonly connections: KeyStoreConnections,
    private readonly anchorer: AuditAnchorer,
  ) {}

  async list(input: ParsedInput<'ListAuditEvents'>): Promise<OperationResult<'ListAuditEvents'>> {
    // Usage records still in the group-commit queue belong in the answer.
    await this.usageWriter.flush();
    const page = this.context.registry.audit.list({
      filters: input.Filters.map((filter) => ({ key: filter.Key, values: filter.Values })),
      from: input.FromTime === undefined ? undefined : auditTimeBound(input.FromTime),
      to: input.ToTime === undefined ? undefined : auditTimeBound(input.ToTime),
      pageNumber: input.PageNumber,
      pageSize: input.PageSize,
    });
    return {
      Events: page.rows.map(toAuditEvent),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  async verify(input: ParsedInput<'VerifyAuditLog'>): Promise<OperationResult<'VerifyAuditLog'>> {
    // The anchor first: it names a record committed before it was written, so the log read after
    // it holds that record even while appends and anchoring go on.
    const hsm = await this.checkHsmAnchor();
    await this.usageWriter.flush();
    const anchor = hsm.checked && hsm.reading.status === 'VALID' ? hsm.reading.anchor : null;
    const expected: AuditHead | null = input.ExpectedAnchor ? { sequence: input.ExpectedAnchor.Sequence, hash: input.ExpectedAnchor.Hash } : null;
    const checkpoints = [anchor, expected].filter((checkpoint): checkpoint is AuditHead => checkpoint !== null);
    const log = this.context.registry.audit.verify(checkpoints);
    return auditVerdict({
      log,
      hsm,
      hsmCheck: anchor ? (log.checkpoints[0] ?? null) : null,
      expectedCheck: expected ? (log.checkpoints.at(-1) ?? null) : null,
    });
  }

  /** Catches the anchor up with the log (records still queued included), then reads it back. */
  async anchor(): Promise<OperationResult<'GetAuditAnchor'>> {
    const [token] = this.connections.requireTokens(DEFAULT_KEY_STORE_ID);
    if (!token) throw new KmsError('Forbidden.KeyStoreState', 'The default key store is not connected.');
    await this.usageWriter.flush();
    await this.anchorer.anchorNow();
    const reading = await this.anchors.read(token.hsm);
    if (reading.status === 'INVALID') throw new KmsError('HsmError.Generic', `The audit anchor cannot be used: ${reading.reason}. Run VerifyAuditLog.`);
    const lastSequence = this.context.registry.audit.last()?.sequence ?? 0;
    const anchor = reading.status === 'VALID' ? reading.anchor : null;
    return {
      Anchor: anchor ? { Sequence: anchor.sequence, Hash: anchor.hash, Time: anchor.time } : null,
      LastSequence: lastSequence,
      UnanchoredRecords: Math.max(0, lastSequence - (anchor?.sequence ?? 0)),
    };
  }

  private async checkHsmAnchor(): Promise<HsmAnchorCheck> {
    const token = defaultStoreToken(this.connections);
    if (!token) return { checked: false, why: NOT_CONNECTED };
    try {
      return { checked: true, reading: await this.anchors.read(token.hsm) };
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
      return { checked: false, why: `the anchor held in the HSM was not checked: reading it failed (${error.code})` };
    }
  }
}
