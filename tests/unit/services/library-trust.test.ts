/**
 * Issue 18, finding 1: RegisterModule loaded any path the caller named. The trust rules, on real
 * files: root's files in a trusted directory are trusted; a safe file elsewhere needs the officer;
 * anything another user could replace (file, directory on the way, a symbolic link's directory)
 * and anything that does not resolve to a regular file is refused. Ownership cases need root
 * (chown); they are skipped elsewhere.
 */
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessLibrary, readTrustedModuleList, type LibraryTrustOptions } from '../../../electron/main/services/modules/library-trust';
import { safeScratchDir } from '../../support/safe-scratch';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

// Not under /tmp: a world-writable directory on the way makes every file refused, by design.
let base = '';
let trustedDir = '';
let otherDir = '';
let options: LibraryTrustOptions;

function library(dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, 'not really a library', { mode: 0o644 });
  return file;
}

function directory(...parts: string[]): string {
  const dir = path.join(...parts);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

beforeAll(() => {
  base = safeScratchDir('library-trust-');
  trustedDir = directory(base, 'system-lib');
  otherDir = directory(base, 'elsewhere');
  options = { trustedDirs: [trustedDir], uid: 0 };
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.skipIf(!isRoot)('assessLibrary', () => {
  it("trusts root's file in a trusted directory, also through a safe symbolic link and ..", () => {
    const file = library(trustedDir, 'libgood.so');
    expect(assessLibrary(file, options)).toEqual({ trust: 'trusted', realPath: file });
    const sub = directory(trustedDir, 'sub');
    symlinkSync(file, path.join(sub, 'link.so'));
    expect(assessLibrary(path.join(sub, 'link.so'), options).trust).toBe('trusted');
    expect(assessLibrary(path.join(sub, '..', 'libgood.so'), options).trust).toBe('trusted');
  });

  it('the real system libraries the suites register are trusted with the default directories', () => {
    const system = { trustedDirs: ['/usr/lib'], uid: 0 };
    expect(assessLibrary('/usr/lib/softhsm/libsofthsm2.so', system).trust).toBe('trusted');
    expect(assessLibrary('/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so', system).trust).toBe('trusted');
  });

  it('needs the officer for a safe file outside the trusted directories, or reached from one by a link', () => {
    const file = library(otherDir, 'libmine.so');
    expect(assessLibrary(file, options).trust).toBe('needs-officer');
    symlinkSync(file, path.join(trustedDir, 'libpointing-out.so'));
    expect(assessLibrary(path.join(trustedDir, 'libpointing-out.so'), options)).toEqual({ trust: 'needs-officer', realPath: file });
  });

  it("needs the officer for the officer's own (not root's) file, even in a trusted directory", () => {
    const dir = directory(trustedDir, 'officer');
    const file = library(dir, 'libofficer.so');
    chownSync(file, NOBODY, NOBODY);
    expect(assessLibrary(file, { trustedDirs: [trustedDir], uid: NOBODY }).trust).toBe('needs-officer');
  });

  it.each([
    ['group-writable file', (file: string) => chmodSync(file, 0o664)],
    ['world-writable file', (file: string) => chmodSync(file, 0o646)],
    ['file owned by another user', (file: string) => chownSync(file, NOBODY, NOBODY)],
    ['group-writable directory', (file: string) => chmodSync(path.dirname(file), 0o775)],
    ['world-writable sticky directory', (file: string) => chmodSync(path.dirname(file), 0o1777)],
    ['directory owned by another user', (file: string) => chownSync(path.dirname(file), NOBODY, NOBODY)],
  ])('refuses a %s, in a trusted directory too', (_what, weaken) => {
    for (const root of [trustedDir, otherDir]) {
      const dir = directory(mkdtempSync(path.join(root, 'case-')));
      const file = library(dir, 'lib.so');
      weaken(file);
      expect(assessLibrary(file, options).trust).toBe('refused');
    }
  });

  it('refuses a link whose own directory another user can write, and a chain through one', () => {
    const file = library(trustedDir, 'libtarget.so');
    const open = directory(base, 'open');
    chmodSync(open, 0o777);
    symlinkSync(file, path.join(open, 'link.so'));
    expect(assessLibrary(path.join(open, 'link.so'), options).trust).toBe('refused');
    // trusted/chain.so -> open/link.so -> trusted/libtarget.so: resolves into the trusted dir, but
    // whoever writes `open` can re-point the middle link after the check.
    symlinkSync(path.join(open, 'link.so'), path.join(trustedDir, 'chain.so'));
    expect(assessLibrary(path.join(trustedDir, 'chain.so'), options).trust).toBe('refused');
  });

  it('refuses what does not resolve to a regular file, the same way for every reason', () => {
    const missing = path.join(trustedDir, 'absent.so');
    expect(assessLibrary(missing, options)).toEqual({ trust: 'refused', realPath: null });
    expect(assessLibrary(trustedDir, options).trust).toBe('refused');
    expect(assessLibrary(path.join(trustedDir, 'libgood.so', 'x'), options).trust).toBe('refused');
    symlinkSync('loop-b.so', path.join(otherDir, 'loop-a.so'));
    symlinkSync('loop-a.so', path.join(otherDir, 'loop-b.so'));
    expect(assessLibrary(path.join(otherDir, 'loop-a.so'), options).trust).toBe('refused');
    expect(assessLibrary('relative/lib.so', options).trust).toBe('refused');
  });

  it('a real library copied into /tmp is refused: /tmp is writable by everyone', () => {
    const tmp = mkdtempSync('/tmp/keyward-trust-');
    try {
      const copy = path.join(tmp, 'libsofthsm2.so');
      copyFileSync('/usr/lib/softhsm/libsofthsm2.so', copy);
      expect(assessLibrary(copy, { trustedDirs: ['/tmp'], uid: 0 }).trust).toBe('refused');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('readTrustedModuleList', () => {
  const uid = process.getuid?.() ?? 0;

  it('reads absolute paths from a private file of the officer, skipping comments and blank lines', () => {
    const file = path.join(base, 'trusted-modules');
    writeFileSync(file, '# vendor HSM\n/opt/vendor/lib/libvendor.so\n\n  /home/officer/lib.so  \nrelative.so\n', { mode: 0o600 });
    expect([...readTrustedModuleList(file, uid)].sort()).toEqual(['/home/officer/lib.so', '/opt/vendor/lib/libvendor.so']);
  });

  it('ignores a list that others can read or write, a link, or a missing file', () => {
    const file = path.join(base, 'trusted-modules-open');
    writeFileSync(file, '/opt/vendor/lib/libvendor.so\n', { mode: 0o600 });
    chmodSync(file, 0o644);
    expect(readTrustedModuleList(file, uid).size).toBe(0);
    chmodSync(file, 0o620);
    expect(readTrustedModuleList(file, uid).size).toBe(0);
    chmodSync(file, 0o600);
    expect(readTrustedModuleList(file, uid).size).toBe(1);
    symlinkSync(file, path.join(base, 'trusted-modules-link'));
    expect(readTrustedModuleList(path.join(base, 'trusted-modules-link'), uid).size).toBe(0);
    expect(readTrustedModuleList(path.join(base, 'absent'), uid).size).toBe(0);
  });

  it.skipIf(!isRoot)("ignores another user's list", () => {
    const file = path.join(base, 'trusted-modules-nobody');
    writeFileSync(file, '/opt/vendor/lib/libvendor.so\n', { mode: 0o600 });
    chownSync(file, NOBODY, NOBODY);
    expect(readTrustedModuleList(file, 0).size).toBe(0);
  });
});
