#!/usr/bin/env node
// `node build/check-entry-chunk.mjs [RENDERER_DIR]` (default out/renderer): fails (exit 1) when the
// scripts the renderer's first paint loads exceed 500 kB, or when there is no build to measure.
// `npm test` runs it right after `build-renderer`.
import { join, resolve } from 'node:path';
import { checkEntryChunk } from './lib/entry-chunk.mjs';
import { ROOT } from './lib/proc.mjs';

const rendererDir = resolve(process.argv[2] ?? join(ROOT, 'out', 'renderer'));
try {
  const { ok, lines } = checkEntryChunk(rendererDir);
  for (const line of lines) console.log(line);
  if (!ok) console.error('Load what the first screen does not need with import() / defineAsyncComponent instead.');
  process.exit(ok ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
