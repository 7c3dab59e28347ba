#!/usr/bin/env node
// `npm run test-ids`: regenerates docs/test-ids.md, the console's selector contract, from renderer/src.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectTestIds, renderTestIds } from './lib/test-ids.mjs';
import { ROOT } from './lib/proc.mjs';

const rows = collectTestIds(join(ROOT, 'renderer', 'src'));
mkdirSync(join(ROOT, 'docs'), { recursive: true });
writeFileSync(join(ROOT, 'docs', 'test-ids.md'), renderTestIds(rows));
console.log(`docs/test-ids.md: ${rows.length} test ids`);
