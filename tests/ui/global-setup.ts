import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, RENDERER_OUT } from './paths';

/**
 * Builds the renderer once (out/renderer) so the host serves the current code.
 * KEYWARD_UI_SKIP_BUILD=1 reuses an existing build (e.g. when the test runner built it already).
 */
export default function globalSetup(): void {
  if (process.env.KEYWARD_UI_SKIP_BUILD === '1' && existsSync(path.join(RENDERER_OUT, 'index.html'))) return;
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`renderer build failed (exit ${result.status})`);
}
