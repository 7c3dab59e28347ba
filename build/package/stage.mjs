// Lays out the Debian package's file tree in a staging directory:
//
//   /usr/lib/keyward/node/bin/node      the Node runtime this build runs on (Debian 12's nodejs is 18)
//   /usr/lib/keyward/app/               bundled host, CLI, worker and launcher; renderer/; node_modules/
//   /usr/lib/keyward/bin/{keyward,kms}  shell wrappers, linked from /usr/bin
//   /usr/share/{applications,icons,man,doc,lintian}/…
//
// Nothing here is written at run time: data lives in the user's XDG data directory.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib/proc.mjs';
import { NOT_SHIPPED } from './production-deps.mjs';

const FILES = join(ROOT, 'build', 'package', 'files');
export const PREFIX = 'usr/lib/keyward';

/** Where Node's own license text is on the build machine (Debian-style packages, official tarballs). */
const NODE_LICENSE_CANDIDATES = [
  '/usr/share/doc/nodejs/LICENSE',
  join(dirname(process.execPath), '..', 'share', 'doc', 'node', 'LICENSE'),
  join(dirname(process.execPath), '..', 'LICENSE'),
];

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function write(root, path, content, mode = 0o644) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

/** In a package with a native addon: its compiled addon yes; sources, object files and test addons no. */
function nativeFilter(packageDir) {
  if (!existsSync(join(packageDir, 'binding.gyp'))) return () => true;
  return (source) => {
    const inside = relative(packageDir, source);
    if (inside === '' || inside === 'build' || inside === join('build', 'Release')) return true;
    if (inside.startsWith(`build${'/'}`)) {
      return dirname(inside) === join('build', 'Release') && inside.endsWith('.node') && !inside.includes('test_extension');
    }
    return !['deps', 'src', 'includes'].includes(inside.split('/')[0] ?? '');
  };
}

function copyPackages(packages, appDir) {
  for (const pkg of packages) {
    const from = join(ROOT, pkg.dir);
    const keep = nativeFilter(from);
    // Nested node_modules are packages of their own: copied (or not) by their own entry. Dotfiles
    // (.npmignore, .eslintrc, .github/) are the package authors' tooling, not code.
    cpSync(from, join(appDir, pkg.dir), {
      recursive: true,
      filter: (source) => {
        const inside = relative(from, source);
        return inside.split('/')[0] !== 'node_modules' && !basename(source).startsWith('.') && keep(source);
      },
    });
  }
}

function appManifest(version) {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dependencies = Object.fromEntries(Object.entries(root.dependencies ?? {}).filter(([name]) => !NOT_SHIPPED.has(name)));
  return `${JSON.stringify({ name: 'keyward', version, private: true, type: 'module', license: 'UNLICENSED', description: root.description, dependencies }, null, 2)}\n`;
}

function changelog(version, epochSeconds) {
  const date = new Date(epochSeconds * 1000).toUTCString().replace('GMT', '+0000');
  return `keyward (${version}) unstable; urgency=medium\n\n  * Keyward ${version}, built with npm run package from the Keyward source tree.\n\n -- ${maintainer()}  ${date}\n`;
}

export function maintainer() {
  return process.env.KEYWARD_MAINTAINER ?? 'Keyward maintainers <keyward@users.noreply.github.com>';
}

function nodeLicense() {
  const found = NODE_LICENSE_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Node's LICENSE not found (looked in ${NODE_LICENSE_CANDIDATES.join(', ')}): the package must carry it`);
  return readFileSync(found, 'utf8');
}

function copyright() {
  return [
    'Keyward',
    '',
    'Files: usr/lib/keyward/app/*.js, usr/lib/keyward/app/renderer/*, usr/lib/keyward/bin/*',
    'Copyright: the Keyward authors',
    'License: UNLICENSED (internal use by the team that owns Keyward)',
    '',
    'Files: usr/lib/keyward/app/node_modules/*',
    'Copyright: each package\'s authors',
    'License: each package\'s own, as its package.json and license file in that directory say;',
    ' /usr/share/doc/keyward/keyward.cdx.json (the CycloneDX SBOM of this package) lists them.',
    '',
    `Files: ${PREFIX}/node/bin/node`,
    `Copyright: Node.js contributors (Node.js ${process.version}); the license text follows.`,
    'License: MIT and the licenses of the components Node.js bundles:',
    '',
    nodeLicense(),
  ].join('\n');
}

/** dh_strip's treatment: no symbols, no .comment/.note sections (lintian: unstripped-binary-or-object). */
function strip(file, sharedObject) {
  run('strip', ['--remove-section=.comment', '--remove-section=.note', ...(sharedObject ? ['--strip-unneeded'] : []), file]);
}

function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    visit(full, entry);
    if (entry.isDirectory()) walk(full, visit);
  }
}

/** Plain modes (0755 directories and executables, 0644 the rest) and one timestamp for every entry. */
function normalize(root, executables, epochSeconds) {
  const time = new Date(epochSeconds * 1000);
  walk(root, (full, entry) => {
    if (entry.isSymbolicLink()) return;
    chmodSync(full, entry.isDirectory() || executables.has(relative(root, full)) ? 0o755 : 0o644);
  });
  walk(root, (full) => {
    if (!lstatSync(full).isSymbolicLink()) utimesSync(full, time, time);
  });
  utimesSync(root, time, time);
}

/**
 * Fills `root` (emptied first) from the bundle and renderer build; returns the ELF files (for
 * dpkg-shlibdeps) relative to `root`.
 */
export function stagePackage({ root, version, bundleDir, rendererDir, packages, epochSeconds }) {
  rmSync(root, { recursive: true, force: true });
  const app = join(root, PREFIX, 'app');
  mkdirSync(app, { recursive: true });
  cpSync(bundleDir, app, { recursive: true });
  cpSync(rendererDir, join(app, 'renderer'), { recursive: true });
  write(root, `${PREFIX}/app/package.json`, appManifest(version));
  copyPackages(packages, app);

  const node = `${PREFIX}/node/bin/node`;
  mkdirSync(dirname(join(root, node)), { recursive: true });
  copyFileSync(process.execPath, join(root, node));
  strip(join(root, node), false);
  const elf = [node];
  walk(app, (full, entry) => {
    if (entry.isFile() && full.endsWith('.node')) {
      strip(full, true);
      elf.push(relative(root, full));
    }
  });

  const wrappers = { keyward: 'keyward.sh', kms: 'kms.sh' };
  for (const [name, source] of Object.entries(wrappers)) {
    write(root, `${PREFIX}/bin/${name}`, readFileSync(join(FILES, source)));
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    symlinkSync(`../lib/keyward/bin/${name}`, join(root, 'usr/bin', name));
  }
  write(root, 'usr/share/applications/keyward.desktop', readFileSync(join(FILES, 'keyward.desktop')));
  write(root, 'usr/share/icons/hicolor/scalable/apps/keyward.svg', readFileSync(join(FILES, 'keyward.svg')));
  for (const page of ['keyward.1', 'kms.1']) {
    const text = readFileSync(join(FILES, page), 'utf8').replaceAll('@VERSION@', version);
    write(root, `usr/share/man/man1/${page}.gz`, gzipSync(text, { level: 9 }));
  }
  write(root, 'usr/share/doc/keyward/copyright', copyright());
  write(root, 'usr/share/doc/keyward/changelog.gz', gzipSync(changelog(version, epochSeconds), { level: 9 }));
  write(root, 'usr/share/lintian/overrides/keyward', readFileSync(join(FILES, 'lintian-overrides')));

  normalize(root, new Set([node, `${PREFIX}/bin/keyward`, `${PREFIX}/bin/kms`]), epochSeconds);
  return elf;
}
