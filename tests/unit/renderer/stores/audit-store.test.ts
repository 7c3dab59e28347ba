import { describe, expect, it } from 'vitest';
import type { AuditEvent, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { emptyAuditFilters } from '../../../../renderer/src/lib/audit-filters';
import { useAuditStore } from '../../../../renderer/src/stores/audit';
import { fakeHost, pageOf, stub } from '../support/fake-host';

function auditHost(options: { signingKey?: string; verifyFails?: boolean } = {}) {
  let records = 120;
  return fakeHost({
    ListAuditEvents: (input) => {
      const { rows, ...page } = pageOf(input, records, (index) => stub<AuditEvent>({ Sequence: index + 1 }));
      return { Events: rows, ...page };
    },
    VerifyAuditLog: () => {
      if (options.verifyFails) throw new KmsClientError('InternalFailure', 'chain broken at 7');
      return stub<OperationResult<'VerifyAuditLog'>>({ Valid: true, CheckedRecords: records });
    },
    ExportAuditLog: () => {
      records++;
      return stub<OperationResult<'ExportAuditLog'>>({ Export: '[]', Signature: 'sig', SigningPublicKey: 'PEM-A' });
    },
    GetAuditSigningKey: () => ({ PublicKey: options.signingKey ?? 'PEM-A', Sha256: 'cd'.repeat(32), KeySpec: 'EC_P256' }),
  });
}

describe('the audit store', () => {
  it('shows the page and filters a view names, as ListAuditEvents takes them', async () => {
    const host = auditHost();
    const audit = useAuditStore();
    await audit.show({
      filters: { ...emptyAuditFilters(), operations: ['CreateKey'], actor: ' alice ', outcomes: ['FAILURE'], time: { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' } },
      page: 3,
      pageSize: 50,
    });
    expect(host.inputsOf('ListAuditEvents')).toEqual([
      {
        PageNumber: 3,
        PageSize: 50,
        Filters: [
          { Key: 'Operation', Values: ['CreateKey'] },
          { Key: 'Actor', Values: ['alice'] },
          { Key: 'Outcome', Values: ['FAILURE'] },
        ],
        FromTime: '2026-12-01T00:00:00Z',
        ToTime: '2026-12-02T00:00:00Z',
      },
    ]);
    expect(audit.total).toBe(120);
    expect(audit.events.map((event) => event.Sequence)).toEqual(Array.from({ length: 20 }, (_, index) => 101 + index));
    expect(audit.loading).toBe(false);
  });

  it('keeps the verification result without the request id', async () => {
    auditHost();
    const audit = useAuditStore();
    expect(await audit.verify()).toEqual({ Valid: true, CheckedRecords: 120 });
    expect(audit.verification).toEqual({ Valid: true, CheckedRecords: 120 });
  });

  it('clears the last verification before a verification that fails', async () => {
    auditHost({ verifyFails: true });
    const audit = useAuditStore();
    audit.verification = { Valid: true } as unknown as NonNullable<typeof audit.verification>;
    await expect(audit.verify()).rejects.toThrow('chain broken at 7');
    expect(audit.verification).toBeNull();
  });

  it('names the signing key fingerprint of an export and reloads, since the export is itself recorded', async () => {
    const host = auditHost();
    const audit = useAuditStore();
    const exported = await audit.exportLog();
    expect(exported).toEqual({ Export: '[]', Signature: 'sig', SigningPublicKey: 'PEM-A', SigningKeySha256: 'cd'.repeat(32) });
    expect(host.operations()).toEqual(['ExportAuditLog', 'GetAuditSigningKey', 'ListAuditEvents']);
    expect(audit.total).toBe(121);
  });

  it('refuses an export whose signing key changed meanwhile, without reloading', async () => {
    const host = auditHost({ signingKey: 'PEM-B' });
    await expect(useAuditStore().exportLog()).rejects.toThrow('The audit signing key changed during the export; export again.');
    expect(host.operations()).not.toContain('ListAuditEvents');
  });
});
