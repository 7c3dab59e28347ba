import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `kms` and the browser host run from TypeScript sources through tsx in an installed package, so
 * every package they load at run time must be a production dependency (in package.json and in the
 * lock file), or `npm install --omit=dev` gives a `kms` that cannot start (issue 18, finding 10).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUNTIME_SOURCES = ['electron/main', 'electron/host', 'electron/cli', 'shared', 'build/kms.mjs', 'build/lib/proc.mjs'];
/** Provided by the Electron runtime itself, never installed from npm for a run. */
const PROVIDED = new Set(['electron']);

function filesUnder(relative: string): string[] {
  const full = path.join(root, relative);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => filesUnder(path.join(relative, name)));
}

/** Bare package names a source loads at run time (type-only imports are erased by tsx). */
function runtimePackages(text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*export\s+(?!type\s)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/\bimport\.meta\.resolve\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? '');
  return specifiers
    .filter((spec) => spec !== '' && !spec.startsWith('.') && !spec.startsWith('node:') && !builtinModules.includes(spec))
    .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec)));
}

describe('run-time dependencies of kms and the browser host', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dependencies?: Record<string, string>; dev?: boolean }>;
  };
  const used = new Set(
    RUNTIME_SOURCES.flatMap(filesUnder)
      .filter((file) => /\.(ts|mjs)$/.test(file))
      .flatMap((file) => runtimePackages(readFileSync(file, 'utf8'))),
  );

  it('finds the packages that matter (the scan works)', () => {
    for (const name of ['tsx', 'ws', 'better-sqlite3', 'pkcs11js', 'zod']) expect(used, name).toContain(name);
  });

  it('lists each of them under dependencies in package.json and, as production, in the lock file', () => {
    const missing = [...used].filter((name) => !PROVIDED.has(name)).filter((name) => !pkg.dependencies?.[name]);
    expect(missing, 'in devDependencies or absent from package.json').toEqual([]);
    const lockRoot = lock.packages['']?.dependencies ?? {};
    const devInLock = [...used].filter((name) => !PROVIDED.has(name)).filter((name) => !lockRoot[name] || lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devInLock, 'dev-only or missing in package-lock.json').toEqual([]);
  });
});
