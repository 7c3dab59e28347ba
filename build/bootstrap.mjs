#!/usr/bin/env node
// Brings a fresh Debian machine (or a fresh clone) to the point where `npm start` and `npm test` work:
// system packages, npm dependencies, native modules. Plain Node ESM without dependencies, because it
// runs before node_modules exists. Idempotent, and fast (well under a second) when nothing is missing.
//
//   node build/bootstrap.mjs            check and install what is missing
//   KEYWARD_SKIP_SYSTEM_DEPS=1          skip the Debian package check (non-Debian developer machines)
//   KEYWARD_ELECTRON_DOWNLOAD=1         let `npm install` try to download the Electron binary
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ROOT, runSync } from './lib/proc.mjs';

const MULTIARCH = arch() === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';

/** Debian package → files whose presence proves it is installed (file checks cost microseconds; dpkg does not). */
export const SYSTEM_PACKAGES = [
  { pkg: 'softhsm2', files: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/bin/softhsm2-util'] },
  { pkg: 'p11-kit', files: ['/usr/bin/p11-kit'] },
  // The p11-kit client module that talks to network HSMs (`p11-kit server`).
  { pkg: 'p11-kit-modules', files: [`/usr/lib/${MULTIARCH}/pkcs11/p11-kit-client.so`] },
  { pkg: 'opensc', files: ['/usr/bin/pkcs11-tool'] },
  { pkg: 'chromium', files: ['/usr/bin/chromium'] },
  { pkg: 'xvfb', files: ['/usr/bin/Xvfb', '/usr/bin/xvfb-run'] },
  { pkg: 'openssl', files: ['/usr/bin/openssl'] },
  // Tests render ceremony transcript PDFs back to text and images to check them.
  { pkg: 'poppler-utils', files: ['/usr/bin/pdftotext', '/usr/bin/pdftoppm'] },
  // Glyphs for the Simplified Chinese console (Chromium shows boxes without a CJK font).
  { pkg: 'fonts-wqy-microhei', files: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'] },
  // `npm run package`: dpkg-shlibdeps and strip for the .deb, lintian and gpg for its checks.
  { pkg: 'dpkg-dev', files: ['/usr/bin/dpkg-shlibdeps'] },
  { pkg: 'binutils', files: ['/usr/bin/strip'] },
  { pkg: 'lintian', files: ['/usr/bin/lintian'] },
  { pkg: 'gpg', files: ['/usr/bin/gpg'] },
];

/** Native addons the app loads; npm 11 may skip their install scripts, so we prove they load. */
const NATIVE_MODULES = ['pkcs11js', 'better-sqlite3'];

const STAMP = join(ROOT, 'node_modules', '.keyward-bootstrap.json');

export class BootstrapError extends Error {}

function log(message) {
  console.log(`[bootstrap] ${message}`);
}

export function missingSystemPackages() {
  return SYSTEM_PACKAGES.filter(({ files }) => !files.every((f) => existsSync(f))).map(({ pkg }) => pkg);
}

function ensureSystemPackages() {
  if (process.env.KEYWARD_SKIP_SYSTEM_DEPS === '1') return;
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new BootstrapError(
      `missing system packages: ${missing.join(', ')}.\n` +
        `Install them as root, then run this command again:\n\n    sudo apt-get update && sudo ${install}\n`,
    );
  }
  if (!existsSync('/usr/bin/apt-get')) {
    throw new BootstrapError(`missing system packages: ${missing.join(', ')}, and this is not a Debian-like system (no apt-get).`);
  }
  log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (runSync('apt-get', ['update'], { env }) !== 0) throw new BootstrapError('apt-get update failed');
  if (runSync('apt-get', ['install', '-y', ...missing], { env }) !== 0) throw new BootstrapError(`${install} failed`);
  const still = missingSystemPackages();
  if (still.length > 0) throw new BootstrapError(`apt-get reported success but these are still missing: ${still.join(', ')}`);
}

/**
 * Fingerprint of what decides the contents of node_modules: the dependency fields of package.json
 * and the lock file. Content, not mtimes: git checkouts touch mtimes, and editing `scripts` must
 * not trigger a reinstall.
 */
function dependencyFingerprint() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const hash = createHash('sha256');
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'overrides', 'allowScripts']) {
    hash.update(`${field}:${JSON.stringify(pkg[field] ?? null)}\n`);
  }
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  hash.update(`node:${process.versions.modules}`); // a new Node ABI needs rebuilt addons
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).fingerprint ?? null;
  } catch {
    return null;
  }
}

function npmEnv() {
  const env = { ...process.env };
  // The Electron postinstall downloads a binary from the internet, which air-gapped and CI machines
  // cannot reach; everything but the Electron shell itself runs without it.
  if (process.env.KEYWARD_ELECTRON_DOWNLOAD !== '1') env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  // Playwright drives Debian's /usr/bin/chromium; its own browser download cannot work here.
  env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  // `npm test --silent` (as .ci/run calls it) is inherited as npm_config_loglevel=silent, which
  // would hide install and compile errors: an install always reports at npm's default level.
  env.npm_config_loglevel = 'notice';
  return env;
}

function npm(args) {
  return runSync('npm', [...args, '--no-audit', '--no-fund'], { env: npmEnv() });
}

/** Each native module is loaded in a child process: a broken addon may abort the process that loads it. */
function brokenNativeModules() {
  const probe = `
    const failed = [];
    for (const name of ${JSON.stringify(NATIVE_MODULES)}) {
      try {
        const mod = require(name);
        if (name === 'better-sqlite3') new mod(':memory:').close();
        if (name === 'pkcs11js') new mod.PKCS11();
      } catch (e) { failed.push(name + ': ' + String(e && e.message).split('\\n')[0]); }
    }
    process.stdout.write(JSON.stringify(failed));`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) return NATIVE_MODULES.map((n) => `${n}: probe exited with ${result.status ?? result.signal}`);
  return JSON.parse(result.stdout);
}

function ensureNodeModules() {
  const fingerprint = dependencyFingerprint();
  const fresh = existsSync(join(ROOT, 'node_modules')) && readStamp() === fingerprint;
  if (!fresh) {
    log('installing npm dependencies (npm install)');
    if (npm(['install']) !== 0) throw new BootstrapError('npm install failed');
  }
  let broken = brokenNativeModules();
  if (broken.length > 0) {
    log(`native modules do not load (${broken.join('; ')}); rebuilding them`);
    if (npm(['rebuild', '--foreground-scripts', ...NATIVE_MODULES]) !== 0) throw new BootstrapError('npm rebuild failed');
    broken = brokenNativeModules();
    if (broken.length > 0) {
      throw new BootstrapError(
        `native modules still do not load after npm rebuild: ${broken.join('; ')}.\n` +
          'They compile with node-gyp: make sure python3, make and g++ are installed.',
      );
    }
  }
  // Written last: an interrupted install or a broken addon is retried on the next run.
  if (!fresh) writeFileSync(STAMP, JSON.stringify({ fingerprint: dependencyFingerprint(), at: new Date().toISOString() }) + '\n');
}

export function bootstrap() {
  const started = Date.now();
  ensureSystemPackages();
  ensureNodeModules();
  log(`ready (${Date.now() - started} ms)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    bootstrap();
  } catch (error) {
    console.error(`[bootstrap] ${error instanceof BootstrapError ? error.message : error.stack}`);
    process.exit(1);
  }
}
