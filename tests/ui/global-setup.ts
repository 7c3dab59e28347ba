import { buildConsole } from '../../testing/console-build';
import { bundleForTests } from '../support/test-bundle';

/**
 * Builds the renderer once (out/renderer; KEYWARD_UI_SKIP_BUILD=1 reuses an existing build), and
 * bundles the browser host, which the testing kit then starts for every test instead of its
 * sources through tsx (Playwright hands this process's environment to its workers).
 */
export default async function globalSetup(): Promise<(() => void) | undefined> {
  buildConsole();
  // A core from another checkout (KEYWARD_UI_HOST_ROOT) runs from its own sources.
  if (process.env.KEYWARD_UI_HOST_ROOT) return undefined;
  const bundle = await bundleForTests();
  process.env.KEYWARD_UI_HOST_BUNDLE = bundle.entry('browser-host.js');
  return () => bundle.remove();
}
