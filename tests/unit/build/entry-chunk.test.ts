import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkEntryChunk, ENTRY_LIMIT_BYTES, firstPaintScripts } from '../../../build/lib/entry-chunk.mjs';

let dir = '';

/** A renderer build as Vite writes it: index.html plus `files` (path → size in bytes) under it. */
function writeBuild(head: string, files: Record<string, number>): void {
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html><head>${head}</head><body><div id="app"></div></body></html>`);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(path.join(dir, file), 'x'.repeat(bytes));
}

const ENTRY = '<script type="module" crossorigin src="./assets/index-AbC.js"></script>';

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'keyward-entry-chunk-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('checkEntryChunk', () => {
  it('passes an entry chunk at the limit and fails one byte above it', () => {
    writeBuild(ENTRY, { 'assets/index-AbC.js': ENTRY_LIMIT_BYTES });
    expect(checkEntryChunk(dir)).toMatchObject({ ok: true, totalBytes: 500_000 });
    writeBuild(ENTRY, { 'assets/index-AbC.js': ENTRY_LIMIT_BYTES + 1 });
    const over = checkEntryChunk(dir);
    expect(over.ok).toBe(false);
    expect(over.lines.at(-1)).toContain('TOO LARGE');
  });

  it('counts the chunks index.html modulepreloads: a vendor split of the entry is still first-paint code', () => {
    const head = `${ENTRY}<link rel="modulepreload" crossorigin href="./assets/vendor-XyZ.js"><link rel="stylesheet" href="./assets/index-AbC.css">`;
    writeBuild(head, { 'assets/index-AbC.js': 400_000, 'assets/vendor-XyZ.js': 150_000, 'assets/index-AbC.css': 900_000 });
    expect(firstPaintScripts(dir)).toEqual([
      { src: './assets/index-AbC.js', bytes: 400_000 },
      { src: './assets/vendor-XyZ.js', bytes: 150_000 },
    ]);
    expect(checkEntryChunk(dir)).toMatchObject({ ok: false, totalBytes: 550_000 });
  });

  it('ignores lazy chunks that index.html does not load, whatever their names', () => {
    writeBuild(ENTRY, { 'assets/index-AbC.js': 1_000, 'assets/index-Lazy.js': 2_000_000, 'assets/KeysPage-1.js': 900_000 });
    expect(checkEntryChunk(dir)).toMatchObject({ ok: true, totalBytes: 1_000 });
  });

  it('fails rather than skips when there is no build or it is incomplete', () => {
    expect(() => checkEntryChunk(dir)).toThrow(/index\.html is missing: build the renderer first/);
    writeBuild(ENTRY, {});
    expect(() => checkEntryChunk(dir)).toThrow(/loads \.\/assets\/index-AbC\.js, which is missing/);
    writeBuild('<script src="./legacy.js"></script>', {});
    expect(() => checkEntryChunk(dir)).toThrow(/expected one module script, found 0/);
  });
});
