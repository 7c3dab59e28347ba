// How `npm start` opens the console in Chromium without putting the browser host's single-use launch
// address (it carries the nonce) on Chromium's command line, which every local user can read in
// /proc/PID/cmdline: the address goes into a private page that forwards to it, and only that page's
// path is on the command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const LAUNCH_ADDRESS = /^http:\/\/127\.0\.0\.1:\d{1,5}\/session\?nonce=[A-Za-z0-9_-]{43}$/;

/** HTML that replaces itself with `launchUrl` (a meta refresh replaces the history entry: no way back to it). */
export function launchPageHtml(launchUrl) {
  if (!LAUNCH_ADDRESS.test(launchUrl)) throw new Error('not a browser-host launch address');
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${launchUrl}">`,
    '<title>Keyward</title>',
    '<p>Opening Keyward…</p>',
    '',
  ].join('\n');
}

/** Writes `<dir>/launch.html` (0600; `dir` is the private 0700 launch directory) and returns its path. */
export function writeLaunchPage(dir, launchUrl) {
  const page = join(dir, 'launch.html');
  writeFileSync(page, launchPageHtml(launchUrl), { flag: 'wx', mode: 0o600 });
  return page;
}

/** Chromium's arguments for an app window on the launch page with `profile` as its throwaway profile. */
export function chromiumAppArgs(profile, launchPage) {
  const args = [
    `--app=${pathToFileURL(launchPage).href}`,
    `--user-data-dir=${profile}`,
    '--window-size=1280,840',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=Translate,MediaRouter',
  ];
  // Chromium refuses its own sandbox as root; only then do we turn it off.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}
