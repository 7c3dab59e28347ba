// Issue 10 P4: the renderer's entry chunk under 500 kB. What counts is everything the browser must
// load before the first paint: the module script out/renderer/index.html starts and the chunks it
// modulepreloads (the entry's static imports), so moving code into a vendor chunk the entry imports
// statically does not pass the check.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** 500 kB as Vite prints sizes (1 kB = 1000 bytes). */
export const ENTRY_LIMIT_BYTES = 500_000;

function attributes(tag) {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1].toLowerCase(), m[2] ?? '']));
}

/** The scripts `rendererDir/index.html` loads before the first paint, with their sizes in bytes. */
export function firstPaintScripts(rendererDir) {
  const htmlPath = join(rendererDir, 'index.html');
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: build the renderer first`);
  const html = readFileSync(htmlPath, 'utf8');
  const tags = (name) => [...html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'gi'))].map((m) => attributes(m[1]));
  const entries = tags('script').filter((a) => a.type === 'module' && a.src);
  if (entries.length !== 1) throw new Error(`${htmlPath}: expected one module script, found ${entries.length}`);
  const preloads = tags('link').filter((a) => a.rel === 'modulepreload' && a.href);
  return [entries[0].src, ...preloads.map((a) => a.href)].map((src) => {
    const file = resolve(rendererDir, src);
    if (!existsSync(file)) throw new Error(`${htmlPath} loads ${src}, which is missing`);
    return { src, bytes: statSync(file).size };
  });
}

/** The check: `ok` when the first paint's scripts together stay under `limitBytes`; `lines` say why. */
export function checkEntryChunk(rendererDir, limitBytes = ENTRY_LIMIT_BYTES) {
  const scripts = firstPaintScripts(rendererDir);
  const totalBytes = scripts.reduce((sum, script) => sum + script.bytes, 0);
  const ok = totalBytes <= limitBytes;
  const lines = [
    ...scripts.map((s, i) => `${i === 0 ? 'entry' : 'modulepreload'} ${s.src}: ${s.bytes.toLocaleString('en-US')} bytes`),
    `first paint loads ${totalBytes.toLocaleString('en-US')} bytes of script; limit ${limitBytes.toLocaleString('en-US')}: ${ok ? 'ok' : 'TOO LARGE'}`,
  ];
  return { ok, totalBytes, scripts, lines };
}
