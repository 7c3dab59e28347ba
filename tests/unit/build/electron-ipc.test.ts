import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { CallOutcome } from '../../../shared/bridge';
import { IPC_INVOKE_CHANNEL, IPC_PROGRESS_CHANNEL, type ProgressEvent } from '../../../shared/wire';
import { bindIpc, type IpcCore } from '../../../electron/main/transports/ipc';
import type { DispatchContext } from '../../../electron/main/transports/dispatcher';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<CallOutcome>;

const APP = 'file:///opt/keyward/out/renderer/index.html';

function setup() {
  let handler: Handler | null = null;
  const ipcMain = {
    handle: vi.fn((channel: string, h: Handler) => {
      expect(channel).toBe(IPC_INVOKE_CHANNEL);
      handler = h;
    }),
    removeHandler: vi.fn(),
  };
  const calls: { operation: string; input: unknown; context: DispatchContext }[] = [];
  const core: IpcCore = {
    async dispatch(operation, input, context) {
      calls.push({ operation, input, context });
      context.onProgress?.({ requestId: 'r', operation, fraction: 0.5, message: 'half' });
      return { ok: true, output: { RequestId: 'r' } };
    },
  };
  const unbind = bindIpc(ipcMain as never, core, (url) => url.split(/[?#]/)[0] === APP);
  const sent: [string, ProgressEvent][] = [];
  const event = (url: string, parent: unknown = null, destroyed = false) =>
    ({
      senderFrame: { url, parent },
      sender: { isDestroyed: () => destroyed, send: (channel: string, e: ProgressEvent) => sent.push([channel, e]) },
    }) as unknown as IpcMainInvokeEvent;
  const invoke = (e: IpcMainInvokeEvent, ...args: unknown[]) => {
    if (!handler) throw new Error('not bound');
    return handler(e, ...args);
  };
  return { ipcMain, calls, sent, event, invoke, unbind };
}

describe('bindIpc', () => {
  it('dispatches calls from the app page over the ipc transport and forwards progress', async () => {
    const { calls, sent, event, invoke } = setup();
    const outcome = await invoke(event(`${APP}#/keys`), 'ListKeys', { PageSize: 10 });
    expect(outcome).toEqual({ ok: true, output: { RequestId: 'r' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ operation: 'ListKeys', input: { PageSize: 10 }, context: { transport: 'ipc' } });
    expect(sent).toEqual([[IPC_PROGRESS_CHANNEL, { requestId: 'r', operation: 'ListKeys', fraction: 0.5, message: 'half' }]]);
  });

  it('refuses other pages and child frames without reaching the core', async () => {
    const { calls, event, invoke } = setup();
    for (const e of [event('https://example.com/'), event('file:///tmp/evil.html'), event(APP, { url: APP })]) {
      const outcome = await invoke(e, 'ListKeys', {});
      expect(outcome).toMatchObject({ ok: false, error: { Code: 'InvalidAction' } });
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses a non-string operation name', async () => {
    const { calls, event, invoke } = setup();
    expect(await invoke(event(APP), { toString: () => 'ListKeys' }, {})).toMatchObject({ ok: false });
    expect(calls).toHaveLength(0);
  });

  it('drops progress for a closed window', async () => {
    const { sent, event, invoke } = setup();
    await invoke(event(APP, null, true), 'ListKeys', {});
    expect(sent).toHaveLength(0);
  });

  it('unbinds its channel', () => {
    const { ipcMain, unbind } = setup();
    unbind();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL);
  });
});
