// `keyward` in the Debian package: what `npm start` does without an Electron binary, for the packaged
// files: the bundled browser host under the packaged Node, opened in Chromium (build/lib/host-launch.mjs,
// shared with build/start.mjs). Bundled by build/package/bundle.mjs into
// /usr/lib/keyward/app/keyward-launcher.js; it writes nothing outside the user's data directory and
// its own temporary launch directory.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBrowserHostWithChromium } from '../lib/host-launch.mjs';

const APP = dirname(fileURLToPath(import.meta.url));

runBrowserHostWithChromium({ hostArgs: [join(APP, 'browser-host.js')], rendererDir: join(APP, 'renderer'), tag: 'keyward' });
