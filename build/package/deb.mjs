// DEBIAN/control and DEBIAN/md5sums for the staged tree, then dpkg-deb. Library dependencies come
// from dpkg-shlibdeps over the ELF files (the Node runtime and the native addons), the rest is
// what Keyward needs at run time from Debian. No nodejs: the package carries its own runtime.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { maintainer } from './stage.mjs';

/** softhsm2: the default key store; p11-kit(-modules): network HSMs; chromium: the console window. */
export const RUNTIME_DEPENDS = ['softhsm2', 'p11-kit', 'p11-kit-modules', 'chromium'];

function capture(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  return result.stdout;
}

/** dpkg-shlibdeps needs a debian/control to read; a throwaway one names the binary package. */
function sharedLibraryDepends(root, elfFiles) {
  const work = mkdtempSync(join(tmpdir(), 'keyward-shlibdeps-'));
  try {
    mkdirSync(join(work, 'debian'));
    writeFileSync(join(work, 'debian', 'control'), 'Source: keyward\n\nPackage: keyward\nArchitecture: amd64\n');
    const out = capture('dpkg-shlibdeps', ['-O', ...elfFiles.map((file) => `-e${join(root, file)}`)], { cwd: work });
    const match = /^shlibs:Depends=(.*)$/m.exec(out);
    if (!match?.[1]) throw new Error(`dpkg-shlibdeps printed no shlibs:Depends:\n${out}`);
    return match[1].split(',').map((entry) => entry.trim());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** dpkg's rule of thumb: KiB, each file rounded up, plus one per directory entry. */
function installedSizeKiB(root) {
  let total = 0;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath ?? entry.path, entry.name);
    if (relative(root, full).startsWith('DEBIAN')) continue;
    total += entry.isFile() ? Math.ceil(statSync(full).size / 1024) : 1;
  }
  return total;
}

function control({ version, depends, installedSize }) {
  return [
    'Package: keyward',
    `Version: ${version}`,
    'Architecture: amd64',
    `Maintainer: ${maintainer()}`,
    `Installed-Size: ${installedSize}`,
    `Depends: ${depends.join(', ')}`,
    // The console offers Simplified Chinese; without a CJK font Chromium draws boxes.
    'Recommends: fonts-wqy-microhei | fonts-noto-cjk',
    'Section: utils',
    'Priority: optional',
    'Description: offline key management console for HSMs and key ceremonies',
    ' Keyward manages keys that live in PKCS#11 hardware security modules: a',
    ' local SoftHSM2 token, or network HSMs reached through p11-kit. It offers',
    ' the familiar cloud-KMS operations (keys, versions, aliases, encryption,',
    ' signing, MACs, key stores, HSM clusters, a hash-chained audit log)',
    ' without any network service.',
    ' .',
    ' This package holds the console (keyward: a loopback web host opened in a',
    ' Chromium app window) and the kms command line, with their own Node.js',
    ' runtime. Data lives in each user\'s XDG data directory.',
    '',
  ].join('\n');
}

/** Writes DEBIAN/ into the staged root and builds `debFile`; returns the control text. */
export function buildDeb({ root, version, elfFiles, debFile, epochSeconds }) {
  const depends = [...sharedLibraryDepends(root, elfFiles), ...RUNTIME_DEPENDS];
  const debian = join(root, 'DEBIAN');
  mkdirSync(debian, { recursive: true, mode: 0o755 });
  const md5sums = files(root)
    .filter((file) => !relative(root, file).startsWith('DEBIAN'))
    .map((file) => `${createHash('md5').update(readFileSync(file)).digest('hex')}  ${relative(root, file)}`)
    .sort((a, b) => a.slice(34).localeCompare(b.slice(34)));
  writeFileSync(join(debian, 'md5sums'), `${md5sums.join('\n')}\n`, { mode: 0o644 });
  const text = control({ version, depends, installedSize: installedSizeKiB(root) });
  writeFileSync(join(debian, 'control'), text, { mode: 0o644 });
  // --root-owner-group: root:root in the archive without fakeroot; SOURCE_DATE_EPOCH: stable member times.
  capture('dpkg-deb', ['--root-owner-group', '-Zxz', '-z1', '--build', root, debFile], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epochSeconds) },
  });
  return text;
}
