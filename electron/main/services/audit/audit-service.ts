import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import type { BufferedAuditWriter } from '../../registry';
import type { ServiceContext } from '../service-context';

export class AuditService {
  constructor(
    private readonly context: ServiceContext,
    private readonly usageWriter: BufferedAuditWriter,
  ) {}

  async list(input: ParsedInput<'ListAuditEvents'>): Promise<OperationResult<'ListAuditEvents'>> {
    // Usage records still in the group-commit queue belong in the answer.
    await this.usageWriter.flush();
    const page = this.context.registry.audit.list({
      filters: input.Filters.map((filter) => ({ key: filter.Key, values: filter.Values })),
      pageNumber: input.PageNumber,
      pageSize: input.PageSize,
    });
    return {
      Events: page.rows.map((row) => ({
        Sequence: row.sequence,
        EventId: row.eventId,
        Time: row.time,
        Operation: row.operation,
        Actor: row.actor,
        Transport: row.transport,
        ResourceId: row.resourceId,
        Outcome: row.outcome,
        ErrorCode: row.errorCode ?? '',
        RequestId: row.requestId,
        Details: row.details,
        PreviousHash: row.previousHash,
        Hash: row.hash,
      })),
      TotalCount: page.totalCount,
      PageNumber: input.PageNumber,
      PageSize: input.PageSize,
    };
  }

  async verify(): Promise<OperationResult<'VerifyAuditLog'>> {
    await this.usageWriter.flush();
    const result = this.context.registry.audit.verify();
    return {
      Valid: result.valid,
      CheckedRecords: result.checkedRecords,
      FirstBrokenSequence: result.firstBrokenSequence,
      Reason: result.reason,
    };
  }
}
