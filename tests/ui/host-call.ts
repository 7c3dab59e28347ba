import { callOverSocket } from '../support/host-session';
import type { KeywardHost } from './fixtures';

/**
 * Test-only: one operation on the browser host's WebSocket, as the page would send it (the session
 * cookie the fixture's page got from the launch address, same Origin). For set-up the product
 * surface deliberately lacks, e.g. registering a module with a throw-away SOFTHSM2_CONF.
 */
export async function callHost(host: KeywardHost, op: string, input: unknown): Promise<unknown> {
  if (!host.sessionCookie) throw new Error('callHost needs the session the fixture opens (hostLogin)');
  const outcome = await callOverSocket(host.url, host.sessionCookie, op, input);
  if (!outcome.ok) throw new Error(`${op} failed: ${outcome.error.Code}: ${outcome.error.Message}`);
  return outcome.output;
}
