// better-sqlite3 is not N-API: the build in node_modules matches Node's ABI (what the tests, the CLI
// and the browser host use) and cannot load in Electron. Rebuilding node_modules in place for
// Electron (electron-builder install-app-deps) would break every Node run, so the Electron build of
// the addon goes to its own directory and the main process is told where it is
// (KEYWARD_SQLITE_NATIVE_BINDING, passed to better-sqlite3's `nativeBinding` option by the registry).
// pkcs11js is N-API: one build serves both runtimes.
//
// Only `npm start` with an Electron binary present calls this; both ways of getting the addon (a
// prebuilt for Electron, or compiling against Electron's headers) need the network, which exists
// wherever the Electron binary itself could be downloaded.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, runSync } from './proc.mjs';

const HEADERS_URL = process.env.KEYWARD_ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers';

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** Returns the environment the Electron main process needs to load native addons. */
export function prepareElectronNative() {
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const base = join(ROOT, '.cache', 'electron-native', `${version}-${arch()}`);
  const binding = join(base, 'better_sqlite3.node');
  if (existsSync(binding)) return { KEYWARD_SQLITE_NATIVE_BINDING: binding };

  console.log(`[start] building better-sqlite3 for Electron ${version} (once; cached in ${base})`);
  const work = join(base, 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  cpSync(join(ROOT, 'node_modules', 'better-sqlite3'), work, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const prebuild = join(ROOT, 'node_modules', 'prebuild-install', 'bin.js');
  const fetched =
    existsSync(prebuild) &&
    runSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', version, '--arch', arch()], { cwd: work }) === 0;
  if (!fetched) {
    const gyp = nodeGypScript();
    const args = ['rebuild', '--release', `--target=${version}`, '--runtime=electron', `--dist-url=${HEADERS_URL}`];
    if (!gyp || runSync(process.execPath, [gyp, ...args], { cwd: work }) !== 0) {
      throw new Error(`could not build better-sqlite3 for Electron ${version}; see the output above`);
    }
  }
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  rmSync(work, { recursive: true, force: true });
  return { KEYWARD_SQLITE_NATIVE_BINDING: binding };
}
