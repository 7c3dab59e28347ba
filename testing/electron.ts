import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import type { KmsBridge } from '../shared/bridge';
import { kmsClientOver, type KmsClient } from './kms-client';
import { KEYWARD_ROOT } from './paths';

/** The Electron binary, or null: node_modules/electron throws when its download was skipped. */
export function electronBinary(): string | null {
  try {
    return createRequire(path.join(KEYWARD_ROOT, 'package.json'))('electron') as string;
  } catch {
    return null;
  }
}

export interface LaunchedElectron {
  app: ElectronApplication;
  window: Page;
  dataDir: string;
  /** Calls through the window's own `window.kms.invoke`, the preload bridge the console uses. */
  kms: KmsClient;
  /** Closes the app (once; `dispose` then only removes the data directory it made). */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The desktop app (out/main, built by `npm start` or `npm run build`) on a data directory, where an
 * Electron binary exists. Not exercised on machines without one.
 */
export async function launchElectron(options: { dataDir?: string } = {}): Promise<LaunchedElectron> {
  const binary = electronBinary();
  if (!binary) throw new Error('no Electron binary here: use the browser host (the default runtime)');
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'keyward-electron-')));
  const app = await _electron.launch({
    executablePath: binary,
    args: [path.join(KEYWARD_ROOT, 'out', 'main', 'index.js')],
    cwd: KEYWARD_ROOT,
    env: { ...process.env, KMS_DATA_DIR: dataDir },
  });
  const window = await app.firstWindow();
  const kms = kmsClientOver((operation, input) =>
    window.evaluate(([name, body]) => (globalThis as unknown as { kms: KmsBridge }).kms.invoke(name, body), [operation, input] as const),
  );
  let closing: Promise<void> | null = null;
  const stop = (): Promise<void> => (closing ??= app.close());
  return {
    app,
    window,
    dataDir,
    kms,
    stop,
    async dispose() {
      await stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
