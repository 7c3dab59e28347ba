import path from 'node:path';
import { KEYWARD_ROOT } from '../../testing/paths';

export { BROWSER_HOST, CHROMIUM, CHROMIUM_ARGS, HOST_ROOT, RENDERER_OUT } from '../../testing/paths';
export const REPO_ROOT = KEYWARD_ROOT;
export const SCREENS_DIR = path.join(REPO_ROOT, 'test-results', 'screens');
