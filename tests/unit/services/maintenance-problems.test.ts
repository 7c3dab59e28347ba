import { describe, expect, it } from 'vitest';
import { KmsError } from '../../../shared/errors';
import type { AuditEntry, AuditTrail } from '../../../electron/main/services/audit/audit-trail';
import { MaintenanceProblems } from '../../../electron/main/services/keys/maintenance-problems';
import type { RequestContext } from '../../../electron/main/services/request-context';

const request: RequestContext = { requestId: 'r', transport: 'internal', actor: 'keyward:maintenance', progress: () => undefined };

function setUp(options: { auditFails?: boolean } = {}) {
  const audited: Array<{ entry: AuditEntry; code: string }> = [];
  const logged: string[] = [];
  const audit: Pick<AuditTrail, 'recordFailedEvent'> = {
    recordFailedEvent: (_request, entry, code) => {
      if (options.auditFails) throw new Error('database is locked');
      audited.push({ entry, code });
    },
  };
  const problems = new MaintenanceProblems(audit as AuditTrail, (message) => logged.push(message));
  return { problems, audited, logged };
}

describe('maintenance problems: logged and audited once, not swallowed', () => {
  it('reports a failure once while it persists, again when its code changes, and again after it cleared', () => {
    const { problems, audited, logged } = setUp();
    const deviceError = new KmsError('HsmError.DeviceError', 'the token went away');
    problems.failed(request, 'DeleteKey', 'key-1', deviceError);
    problems.failed(request, 'DeleteKey', 'key-1', deviceError);
    expect(audited).toEqual([{ entry: { operation: 'DeleteKey', resourceId: 'key-1' }, code: 'HsmError.DeviceError' }]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('DeleteKey of key-1 failed with HsmError.DeviceError');

    problems.failed(request, 'DeleteKey', 'key-1', new KmsError('HsmError.TokenNotPresent', 'x'));
    expect(audited.map(({ code }) => code)).toEqual(['HsmError.DeviceError', 'HsmError.TokenNotPresent']);

    problems.solved('DeleteKey', 'key-1');
    problems.failed(request, 'DeleteKey', 'key-1', new KmsError('HsmError.TokenNotPresent', 'x'));
    expect(audited).toHaveLength(3);
  });

  it('keeps problems of different work and resources apart, and names a bug InternalFailure without its message', () => {
    const { problems, audited, logged } = setUp();
    problems.failed(request, 'RotateKey', 'key-1', new KmsError('HsmError.DeviceError', 'x'));
    problems.failed(request, 'RotateKey', 'key-2', new KmsError('HsmError.DeviceError', 'x'));
    problems.failed(request, 'MaintenanceRound', '', new TypeError('secret-looking detail Canary7Pw0rdXq'));
    expect(audited.map(({ entry, code }) => `${entry.operation}/${entry.resourceId}/${code}`)).toEqual([
      'RotateKey/key-1/HsmError.DeviceError',
      'RotateKey/key-2/HsmError.DeviceError',
      'MaintenanceRound//InternalFailure',
    ]);
    expect(logged.join('\n')).not.toContain('Canary7Pw0rdXq');
  });

  it('when the audit itself cannot be written, the problem is logged and tried again next round', () => {
    const { problems, logged } = setUp({ auditFails: true });
    problems.failed(request, 'DestroySecret', '', new KmsError('InternalFailure', 'x'));
    problems.failed(request, 'DestroySecret', '', new KmsError('InternalFailure', 'x'));
    expect(logged).toHaveLength(2);
  });
});
