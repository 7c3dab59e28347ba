import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of .dependency-cruiser.cjs, proven on a small tree that breaks each of them
 * once (and a file that breaks none): a rule with a typo in its regex would otherwise pass silently.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const files: Record<string, string> = {
  'tsconfig.json': '{"compilerOptions":{"module":"ESNext","moduleResolution":"Bundler","strict":true}}',
  'electron/main/hsm/session.ts': "import { r } from '../registry/db';\nexport const s = r;",
  'electron/main/registry/db.ts': "import { svc } from '../services/svc';\nexport const r = 1 + svc;",
  'electron/main/services/svc.ts': "import { t } from '../transports/ipc';\nexport const svc = t;",
  'electron/main/transports/ipc.ts': "import { a } from '../app/core';\nexport const t = a;",
  'electron/main/app/core.ts': 'export const a = 1;',
  'renderer/src/bad.ts': "import { readFileSync } from 'node:fs';\nimport { a } from '../../electron/main/app/core';\nexport const x = [readFileSync, a];",
  'renderer/src/native.ts': "import * as p from 'pkcs11js';\nimport { app } from 'electron';\nexport const n = [p, app];",
  'renderer/src/good.ts': "import { ok } from '../../shared/ok';\nexport const y = ok;",
  'renderer/vite.config.ts': "import { fileURLToPath } from 'node:url';\nexport default fileURLToPath;",
  'shared/bad.ts': "import path from 'node:path';\nimport { y } from '../renderer/src/good';\nexport const z = [path, y];",
  'shared/ok.ts': 'export const ok = 1;',
  'shared/cycle-a.ts': "import { b } from './cycle-b';\nexport const a = () => b;",
  'shared/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;",
};

let dir = '';
let violations: { rule: string; from: string; to: string }[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'keyward-depcruise-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  let output: string;
  try {
    output = execFileSync(
      path.join(root, 'node_modules', '.bin', 'depcruise'),
      ['electron', 'shared', 'renderer', '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: dir, encoding: 'utf8' },
    );
  } catch (error) {
    output = (error as { stdout: string }).stdout; // exits non-zero when it finds violations
  }
  const result = JSON.parse(output) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  violations = result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rulesFor = (from: string): string[] => violations.filter((v) => v.from === from).map((v) => v.rule).sort();

describe('dependency rules', () => {
  it('keep each main-process layer from importing the layers above it', () => {
    expect(rulesFor('electron/main/hsm/session.ts')).toEqual(['hsm-is-the-bottom-layer']);
    expect(rulesFor('electron/main/registry/db.ts')).toEqual(['registry-below-services']);
    expect(rulesFor('electron/main/services/svc.ts')).toEqual(['services-below-transports']);
    expect(rulesFor('electron/main/transports/ipc.ts')).toEqual(['transports-below-app']);
  });

  it('keep the renderer away from Electron and Node, but not its own build config', () => {
    expect(rulesFor('renderer/src/bad.ts')).toEqual(['renderer-no-node', 'renderer-not-electron']);
    expect(rulesFor('renderer/src/native.ts')).toEqual(
      expect.arrayContaining(['renderer-no-electron-module', 'renderer-no-native-or-server-deps']),
    );
    expect(rulesFor('renderer/src/good.ts')).toEqual([]);
    expect(rulesFor('renderer/vite.config.ts')).toEqual([]);
  });

  it('keep shared/ neutral and forbid cycles', () => {
    expect(rulesFor('shared/bad.ts')).toEqual(['shared-is-neutral', 'shared-no-node']);
    expect(violations.some((v) => v.rule === 'no-circular' && v.from.startsWith('shared/cycle-'))).toBe(true);
  });
});
