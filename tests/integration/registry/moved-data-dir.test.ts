/**
 * A data directory moved or copied elsewhere: its default key store's softhsm2.conf still names the
 * old token directory (SoftHSM2 takes only absolute paths) until the core points it back at the
 * copy's own (electron/main/services/keystores/token-dir-location.ts). Real files, no HSM needed.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repointTokenDirectory } from '../../../electron/main/services/keystores/token-dir-location';

describe('repointTokenDirectory', () => {
  let dir = '';
  let conf = '';
  const tokens = (): string => path.join(dir, 'tokens');

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'keyward-moved-'));
    conf = path.join(dir, 'softhsm2.conf');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('points a moved configuration at this token directory and keeps its other settings', () => {
    writeFileSync(conf, 'directories.tokendir = /old/place/softhsm/tokens\nobjectstore.backend = file\nlog.level = INFO\n', { mode: 0o600 });
    const notice = repointTokenDirectory(conf, tokens());
    expect(notice).toContain('/old/place/softhsm/tokens');
    expect(notice).toContain(tokens());
    expect(readFileSync(conf, 'utf8')).toBe(`directories.tokendir = ${tokens()}\nobjectstore.backend = file\nlog.level = INFO\n`);
    expect(statSync(conf).mode & 0o777).toBe(0o600);
  });

  it('leaves a configuration that already names this token directory untouched', () => {
    writeFileSync(conf, `directories.tokendir = ${tokens()}\nobjectstore.backend = file\n`, { mode: 0o600 });
    const before = statSync(conf);
    expect(repointTokenDirectory(conf, tokens())).toBeNull();
    expect(statSync(conf).ino).toBe(before.ino);
  });

  it('adds the line to a configuration without one, and ignores a missing file', () => {
    writeFileSync(conf, 'objectstore.backend = file\n', { mode: 0o600 });
    expect(repointTokenDirectory(conf, tokens())).toContain('(none)');
    expect(readFileSync(conf, 'utf8')).toBe(`directories.tokendir = ${tokens()}\nobjectstore.backend = file\n`);
    expect(repointTokenDirectory(path.join(dir, 'absent.conf'), tokens())).toBeNull();
  });
});
