// The npm packages the packaged edition ships: the production dependency tree as installed in
// node_modules (the same directories Node resolves at run time, native builds included), walked
// from package.json's `dependencies`. Packages only the development setup runs are left out.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../lib/proc.mjs';

/** In `dependencies` for `npm start` and the source-tree `kms` (TypeScript at run time), not for the bundled package. */
export const NOT_SHIPPED = new Set(['tsx']);

/** Loaded with createRequire, so the bundler cannot see them; the package must still carry them. */
export const LOADED_AT_RUN_TIME = ['pkcs11js'];

function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Node's lookup: node_modules/<name> in `fromDir`, then in each parent, up to the project root. */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT) break;
  }
  return null;
}

/**
 * Returns [{name, version, dir}] (dir relative to the project root, e.g. node_modules/ws), sorted by dir.
 * Throws when a required dependency is not installed: the package would not start.
 */
export function productionPackages() {
  const root = readManifest(ROOT);
  const found = new Map();
  const queue = Object.keys(root.dependencies ?? {})
    .filter((name) => !NOT_SHIPPED.has(name))
    .map((name) => ({ name, from: ROOT, optional: false, by: root.name }));
  while (queue.length > 0) {
    const { name, from, optional, by } = queue.shift();
    const dir = resolvePackageDir(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${by} needs ${name}, which is not installed (run npm install)`);
    }
    const key = relative(ROOT, dir);
    if (found.has(key)) continue;
    const manifest = readManifest(dir);
    found.set(key, { name: manifest.name, version: manifest.version, dir: key });
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false, by: manifest.name });
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true, by: manifest.name });
  }
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}
