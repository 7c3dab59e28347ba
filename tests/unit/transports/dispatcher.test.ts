import { describe, expect, it } from 'vitest';
import { KmsError } from '../../../shared/errors';
import type { OperationHandlers } from '../../../electron/main/services/handlers-type';
import { createDispatcher } from '../../../electron/main/transports/dispatcher';

/** Handlers that record calls; only the ones a test uses do anything. */
function stubHandlers(overrides: Partial<OperationHandlers>): { handlers: OperationHandlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = new Proxy(overrides, {
    get(target, name: string) {
      const handler = (target as Record<string, unknown>)[name];
      return async (...args: unknown[]) => {
        calls.push(name);
        if (typeof handler === 'function') return (handler as (...a: unknown[]) => unknown)(...args);
        throw new Error(`no stub for ${name}`);
      };
    },
  }) as OperationHandlers;
  return { handlers, calls };
}

function setup(overrides: Partial<OperationHandlers> = {}) {
  const failures: { operation: string; errorCode: string; resourceId: string }[] = [];
  const logged: string[] = [];
  const { handlers, calls } = stubHandlers(overrides);
  const dispatch = createDispatcher({
    handlers,
    actor: 'officer',
    auditFailure: ({ operation, errorCode, resourceId }) => failures.push({ operation, errorCode, resourceId }),
    logError: (_requestId, operation) => logged.push(operation),
  });
  return { dispatch, calls, failures, logged };
}

describe('dispatcher', () => {
  it('refuses an unknown operation without calling anything', async () => {
    const { dispatch, calls } = setup();
    const outcome = await dispatch('DropAllKeys', {}, { transport: 'ws' });
    expect(outcome).toMatchObject({ ok: false, error: { Code: 'InvalidAction' } });
    expect(calls).toEqual([]);
    const prototypeName = await dispatch('__proto__', {}, { transport: 'ws' });
    expect(prototypeName).toMatchObject({ ok: false, error: { Code: 'InvalidAction' } });
  });

  it('reports a missing field as MissingParameter and a wrong type as InvalidParameter', async () => {
    const { dispatch, calls } = setup();
    expect(await dispatch('DescribeKey', {}, { transport: 'ipc' })).toMatchObject({ ok: false, error: { Code: 'MissingParameter' } });
    expect(await dispatch('DescribeKey', { KeyId: 5 }, { transport: 'ipc' })).toMatchObject({ ok: false, error: { Code: 'InvalidParameter' } });
    expect(await dispatch('DescribeKey', { KeyId: 'k', Extra: 1 }, { transport: 'ipc' })).toMatchObject({ ok: false, error: { Code: 'InvalidParameter' } });
    expect(calls).toEqual([]);
  });

  it('never echoes a secret value in a validation message', async () => {
    const { dispatch } = setup();
    const outcome = await dispatch('InitializeDefaultKeyStore', { KeyStorePassword: 'canary-short' }, { transport: 'cli' });
    expect(outcome.ok).toBe(false);
    expect(JSON.stringify(outcome)).not.toContain('canary-short');
  });

  it('refuses a "__proto__" key anywhere in the input, which a record would silently drop', async () => {
    const { dispatch, calls } = setup({ Encrypt: async () => ({ CiphertextBlob: '', KeyId: 'k', KeyVersionId: 'v' }) });
    const context = JSON.parse('{"__proto__": "tenant-A"}') as unknown;
    const outcome = await dispatch('Encrypt', { KeyId: 'k', Plaintext: 'AA==', EncryptionContext: context }, { transport: 'ws' });
    expect(outcome).toMatchObject({ ok: false, error: { Code: 'InvalidParameter', Message: expect.stringContaining('EncryptionContext.__proto__') } });
    const nested = JSON.parse('{"Tags": [{"TagKey": "a", "TagValue": "b", "__proto__": {"x": 1}}], "KeyId": "k"}') as unknown;
    expect(await dispatch('TagResource', nested, { transport: 'ipc' })).toMatchObject({ ok: false, error: { Code: 'InvalidParameter' } });
    expect(calls).toEqual([]);
  });

  it('refuses oversized requests', async () => {
    const { dispatch } = setup();
    const outcome = await dispatch('DescribeKey', { KeyId: 'x'.repeat(300_000) }, { transport: 'ws' });
    expect(outcome).toMatchObject({ ok: false, error: { Code: 'RequestTooLarge' } });
  });

  it('adds the RequestId and strips fields outside the contract', async () => {
    const { dispatch } = setup({
      VerifyAuditLog: async () =>
        ({ Valid: true, CheckedRecords: 3, FirstBrokenSequence: null, Reason: '', Anchor: null, AnchorChecked: false, UnanchoredRecords: null, Leak: 'x' }) as never,
    });
    const outcome = await dispatch('VerifyAuditLog', {}, { transport: 'ipc' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.output).toMatchObject({ Valid: true, CheckedRecords: 3 });
    expect(outcome.output).not.toHaveProperty('Leak');
    expect(typeof (outcome.output as { RequestId: unknown }).RequestId).toBe('string');
  });

  it('passes typed errors through and audits failed state changes', async () => {
    const { dispatch, failures } = setup({
      ConnectKeyStore: async () => {
        throw new KmsError('HsmError.PinIncorrect', 'The password is incorrect.');
      },
    });
    const outcome = await dispatch('ConnectKeyStore', { KeyStoreId: 'kst-1', KeyStorePassword: 'secret-123' }, { transport: 'ipc' });
    expect(outcome).toMatchObject({ ok: false, error: { Code: 'HsmError.PinIncorrect' } });
    expect(failures).toEqual([{ operation: 'ConnectKeyStore', errorCode: 'HsmError.PinIncorrect', resourceId: 'kst-1' }]);
    expect(JSON.stringify(failures)).not.toContain('secret-123');
  });

  it('hides unexpected exceptions behind InternalFailure', async () => {
    const { dispatch, logged } = setup({
      ListKeys: async () => {
        throw new TypeError('boom at /secret/path');
      },
    });
    const outcome = await dispatch('ListKeys', {}, { transport: 'ws' });
    expect(outcome).toMatchObject({ ok: false, error: { Code: 'InternalFailure' } });
    expect(JSON.stringify(outcome)).not.toContain('/secret/path');
    expect(logged).toEqual(['ListKeys']);
  });

  it('forwards progress with the request id', async () => {
    const { dispatch } = setup({
      ListKeys: async (_input, context) => {
        context.progress(0.5, 'half');
        return { Keys: [], TotalCount: 0, PageNumber: 1, PageSize: 20 };
      },
    });
    const events: unknown[] = [];
    const outcome = await dispatch('ListKeys', {}, { transport: 'ws', onProgress: (event) => events.push(event) });
    expect(outcome.ok).toBe(true);
    expect(events).toMatchObject([{ operation: 'ListKeys', fraction: 0.5, message: 'half' }]);
  });
});
