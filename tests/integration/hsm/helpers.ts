/**
 * Shared set-up for the hsm integration tests: a real SoftHSM2 token in a temp dir, a client whose
 * worker runs as a child process, and a launcher wrapper that lets tests see and kill that process.
 */
import { randomBytes } from 'node:crypto';
import { HsmModuleClient, type HsmModuleClientOptions } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import type { WorkerChannel, WorkerExitInfo, WorkerLauncher } from '../../../electron/main/hsm/worker-launcher';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';

export const SO_PIN = 'so-Secret-4711';
export const USER_PIN = 'user-Secret-0815';

/** Records every worker it launches, with how it ended. */
export class RecordingLauncher implements WorkerLauncher {
  readonly launched: { channel: WorkerChannel; exit: Promise<WorkerExitInfo> }[] = [];
  private readonly inner = createNodeWorkerLauncher();

  launch(env: Record<string, string>): WorkerChannel {
    const channel = this.inner.launch(env);
    const exit = new Promise<WorkerExitInfo>((resolve) => channel.onExit(resolve));
    this.launched.push({ channel, exit });
    return channel;
  }

  get last(): { channel: WorkerChannel; exit: Promise<WorkerExitInfo> } {
    const last = this.launched.at(-1);
    if (!last) throw new Error('no worker launched yet');
    return last;
  }
}

export interface TokenSetup {
  fixture: SoftHsmFixture;
  launcher: RecordingLauncher;
  client: HsmModuleClient;
  serial: string;
  close(): Promise<void>;
}

/** An initialized token with a user PIN, logged in. */
export async function setUpToken(
  label: string,
  options: Partial<Omit<HsmModuleClientOptions, 'launcher'>> = {},
): Promise<TokenSetup> {
  const fixture = await createSoftHsmFixture();
  const launcher = new RecordingLauncher();
  const client = new HsmModuleClient(fixture.moduleSpec, { launcher, ...options });
  const { serial } = await client.initToken({ soPin: SO_PIN, label });
  await client.initUserPin({ serial, soPin: SO_PIN, userPin: USER_PIN });
  await client.login({ serial, userPin: USER_PIN });
  return {
    fixture,
    launcher,
    client,
    serial,
    async close() {
      await client.close();
      await fixture.cleanup();
    },
  };
}

export function newObjectId(): string {
  return randomBytes(16).toString('hex');
}

/** Settles a promise into a value or the thrown error, for asserting on rejections with details. */
export async function caught(promise: Promise<unknown>): Promise<Error & { code?: string; ckr?: string | null }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to fail');
}
