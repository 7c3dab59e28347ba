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
  'electron/main/transports/ipc.ts': "import { ipcMain } from 'electron';\nimport { a } from '../app/core';\nexport const t = [ipcMain, a];",
  'electron/main/app/core.ts': "import { app } from 'electron';\nexport const a = app;",
  'electron/main/services/native.ts':
    "import * as p from 'pkcs11js';\nimport Database from 'better-sqlite3';\nimport { app } from 'electron';\nexport const n = [p, Database, app];",
  'electron/main/hsm/client.ts': "import { t } from './worker/templates';\nexport const c = t;",
  'electron/main/hsm/worker/templates.ts': "import * as p from 'pkcs11js';\nimport { c } from '../protocol';\nexport const t = [p, c];",
  'electron/main/hsm/protocol.ts': 'export const c = 1;',
  'electron/main/registry/sqlite.ts': "import Database from 'better-sqlite3';\nexport const d = Database;",
  'electron/main/index.ts': "import { app } from 'electron';\nexport const shell = app;",
  'electron/preload/index.ts': "import { contextBridge } from 'electron';\nexport const bridge = contextBridge;",
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
/** The packages are not installed in the scratch tree, so their imports are also unresolvable. */
const packageRulesFor = (from: string): string[] => rulesFor(from).filter((rule) => rule !== 'not-to-unresolvable');

describe('dependency rules', () => {
  it('keep each main-process layer from importing the layers above it', () => {
    expect(rulesFor('electron/main/hsm/session.ts')).toEqual(['hsm-is-the-bottom-layer']);
    expect(rulesFor('electron/main/registry/db.ts')).toEqual(['registry-below-services']);
    expect(rulesFor('electron/main/services/svc.ts')).toEqual(['services-below-transports']);
    expect(packageRulesFor('electron/main/transports/ipc.ts')).toEqual(['transports-below-app']);
  });

  it('keep the renderer away from Electron and Node, but not its own build config', () => {
    expect(rulesFor('renderer/src/bad.ts')).toEqual(['renderer-no-node', 'renderer-not-electron']);
    expect(rulesFor('renderer/src/native.ts')).toEqual(
      expect.arrayContaining(['renderer-no-electron-module', 'renderer-no-native-or-server-deps']),
    );
    expect(rulesFor('renderer/src/good.ts')).toEqual([]);
    expect(rulesFor('renderer/vite.config.ts')).toEqual([]);
  });

  it('keep pkcs11js in the worker, better-sqlite3 in the registry and electron in the shell', () => {
    expect(packageRulesFor('electron/main/services/native.ts')).toEqual([
      'better-sqlite3-only-in-the-registry',
      'electron-only-in-the-shell',
      'pkcs11js-only-in-the-worker',
    ]);
    expect(packageRulesFor('electron/main/hsm/worker/templates.ts')).toEqual([]);
    expect(packageRulesFor('electron/main/registry/sqlite.ts')).toEqual([]);
    for (const shell of ['electron/main/index.ts', 'electron/main/app/core.ts', 'electron/main/transports/ipc.ts', 'electron/preload/index.ts']) {
      expect(packageRulesFor(shell), shell).not.toContain('electron-only-in-the-shell');
    }
  });

  it('keep the worker-only files out of the main process', () => {
    expect(rulesFor('electron/main/hsm/client.ts')).toEqual(['worker-files-stay-in-the-worker']);
  });

  it('keep shared/ neutral and forbid cycles', () => {
    expect(rulesFor('shared/bad.ts')).toEqual(['shared-is-neutral', 'shared-no-node']);
    expect(violations.some((v) => v.rule === 'no-circular' && v.from.startsWith('shared/cycle-'))).toBe(true);
  });
});
