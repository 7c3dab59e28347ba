import { get } from 'node:http';
import WebSocket from 'ws';
import type { CallOutcome } from '../shared/bridge';
import type { KmsErrorBody } from '../shared/errors';

/**
 * Test and bench helper: opens the browser host's one session from Node, as a browser would follow
 * its launch address, and returns the `Cookie` header value that admits a socket.
 */
export function openHostSession(launchUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(launchUrl, (response) => {
      response.resume();
      const cookie = response.headers['set-cookie']?.[0]?.split(';')[0];
      if (response.statusCode === 303 && cookie) resolve(cookie);
      else reject(new Error(`the launch address answered ${response.statusCode} without a session cookie`));
    }).on('error', reject);
  });
}

/** A socket on the host's /rpc with its own Origin and the session cookie, as the page opens it. */
export function hostSocket(hostUrl: string, cookie: string): WebSocket {
  const url = new URL(hostUrl);
  return new WebSocket(`ws://${url.host}/rpc`, { origin: url.origin, headers: { Cookie: cookie } });
}

/** One operation over a fresh socket of the session, answered as the dispatcher's outcome. */
export async function callOverSocket(hostUrl: string, cookie: string, op: string, input: unknown): Promise<CallOutcome> {
  const socket = hostSocket(hostUrl, cookie);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return await new Promise<CallOutcome>((resolve) => {
      socket.on('message', (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { kind: string; id: number; output?: unknown; error?: KmsErrorBody };
        if (message.id !== 1 || message.kind === 'progress') return;
        if (message.kind === 'result') resolve({ ok: true, output: message.output });
        else if (message.error) resolve({ ok: false, error: message.error });
      });
      socket.send(JSON.stringify({ id: 1, op, input }));
    });
  } finally {
    socket.close();
  }
}
