import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Keyward checkout this kit belongs to (the package root). */
export const KEYWARD_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_OUT = path.join(KEYWARD_ROOT, 'out', 'renderer');
/**
 * Where the browser host (the core) runs from: this checkout, or KEYWARD_UI_HOST_ROOT, another
 * checkout of the core (e.g. a backend branch not merged here yet) serving this renderer build.
 */
export const HOST_ROOT = process.env.KEYWARD_UI_HOST_ROOT ? path.resolve(process.env.KEYWARD_UI_HOST_ROOT) : KEYWARD_ROOT;
export const BROWSER_HOST = path.join(HOST_ROOT, 'electron', 'host', 'browser-host.ts');

/** Debian's Chromium; `npx playwright install` cannot download browsers on an offline machine. */
export const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
