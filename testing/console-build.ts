import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KEYWARD_ROOT, RENDERER_OUT } from './paths';

/**
 * Builds the console (out/renderer) once, so the host serves the current code: use it as (or from)
 * Playwright's `globalSetup`. KEYWARD_UI_SKIP_BUILD=1 reuses an existing build.
 */
export function buildConsole(): void {
  if (process.env.KEYWARD_UI_SKIP_BUILD === '1' && existsSync(path.join(RENDERER_OUT, 'index.html'))) return;
  const vite = path.join(KEYWARD_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: KEYWARD_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`renderer build failed (exit ${result.status})`);
}
