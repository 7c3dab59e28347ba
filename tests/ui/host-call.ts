import WebSocket from 'ws';
import type { KeywardHost } from './fixtures';

/**
 * Test-only: one operation on the browser host's WebSocket, as the page would send it (same token,
 * same Origin). For set-up the product surface deliberately lacks, e.g. registering a module with
 * a throw-away SOFTHSM2_CONF.
 */
export async function callHost(host: KeywardHost, op: string, input: unknown): Promise<unknown> {
  const page = new URL(host.url);
  const token = page.searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://${page.host}/rpc?token=${encodeURIComponent(token)}`, { origin: `http://${page.host}` });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return await new Promise((resolve, reject) => {
      socket.on('message', (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { kind: string; id: number; output?: unknown; error?: { Code: string; Message: string } };
        if (message.id !== 1 || message.kind === 'progress') return;
        if (message.kind === 'result') resolve(message.output);
        else reject(new Error(`${op} failed: ${message.error?.Code}: ${message.error?.Message}`));
      });
      socket.send(JSON.stringify({ id: 1, op, input }));
    });
  } finally {
    socket.close();
  }
}
