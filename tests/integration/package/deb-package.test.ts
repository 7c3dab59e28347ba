/**
 * The offline distribution as a security team receives it: dist/keyward_<version>_amd64.deb, its
 * SBOM and SHA256SUMS (made by `npm run package`, which `npm test` runs just before this suite).
 * The package is extracted with dpkg-deb and its own `kms` and `keyward` run from there against
 * temp data directories, with an environment that holds nothing of the development setup.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../ui/paths';
import {
  capture,
  cleanEnv,
  DEB,
  DIST,
  extract,
  REPO_ROOT,
  requireBuiltPackage,
  runInstalled,
  SBOM,
  sha256,
  startInstalled,
  treeState,
  VERSION,
} from './support/built-package';

const APP = 'usr/lib/keyward/app';
const PASSWORD = 'Packaged7Officer';
/** Tools of the development setup that must not reach the package (the bundle needs none of them at run time). */
const DEV_ONLY = ['tsx', 'esbuild', 'vite', 'typescript', 'vitest', 'electron', 'electron-vite', '@playwright/test', 'vue', 'naive-ui'];

interface CycloneDx {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string } };
  components: { 'bom-ref': string; name: string; version: string; purl: string; hashes?: { alg: string; content: string }[] }[];
}

/** name@version of every package directory under a node_modules tree (scoped and nested ones too). */
function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dirs = entry.name.startsWith('@')
      ? readdirSync(path.join(nodeModules, entry.name)).map((name) => path.join(nodeModules, entry.name, name))
      : [path.join(nodeModules, entry.name)];
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
      found.push(`${manifest.name}@${manifest.version}`);
      const nested = path.join(dir, 'node_modules');
      if (readdirSync(dir).includes('node_modules')) found.push(...installedPackages(nested));
    }
  }
  return found;
}

describe(`keyward_${VERSION}_amd64.deb`, () => {
  let root = '';
  let home = '';
  let before: Record<string, string> = {};

  beforeAll(() => {
    requireBuiltPackage();
    root = extract();
    home = mkdtempSync(path.join(tmpdir(), 'keyward-deb-home-'));
    before = treeState(root);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('names itself, its Debian dependencies and no nodejs (it carries its own runtime)', () => {
    const field = (name: string): string => capture('dpkg-deb', ['-f', DEB, name]).trim();
    expect(field('Package')).toBe('keyward');
    expect(field('Version')).toBe(VERSION);
    expect(field('Architecture')).toBe('amd64');
    const depends = field('Depends').split(/,\s*/).map((entry) => entry.split(' ')[0]);
    expect(depends).toEqual(expect.arrayContaining(['libc6', 'libstdc++6', 'softhsm2', 'p11-kit', 'p11-kit-modules', 'chromium']));
    expect(depends).not.toContain('nodejs');
  });

  it('installs the console, the CLI, their runtime and desktop files, all under /usr and owned by root', () => {
    const listing = capture('dpkg-deb', ['-c', DEB]).trim().split('\n');
    const paths = listing.map((line) => line.split(/\s+/)[5] ?? '');
    for (const line of listing) expect(line.split(/\s+/)[1]).toBe('root/root');
    for (const entry of paths) expect(entry === './' || entry.startsWith('./usr/')).toBe(true);
    expect(paths).toEqual(
      expect.arrayContaining([
        './usr/bin/keyward',
        './usr/bin/kms',
        './usr/lib/keyward/node/bin/node',
        `./${APP}/kms.js`,
        `./${APP}/browser-host.js`,
        `./${APP}/hsm-worker.js`,
        `./${APP}/keyward-launcher.js`,
        `./${APP}/renderer/index.html`,
        './usr/share/applications/keyward.desktop',
        './usr/share/icons/hicolor/scalable/apps/keyward.svg',
        './usr/share/man/man1/kms.1.gz',
        './usr/share/man/man1/keyward.1.gz',
        './usr/share/doc/keyward/copyright',
        './usr/share/doc/keyward/changelog.gz',
        './usr/share/doc/keyward/keyward.cdx.json',
        './usr/share/lintian/overrides/keyward',
      ]),
    );
    expect(readlinkSync(path.join(root, 'usr/bin/kms'))).toBe('../lib/keyward/bin/kms');
    // Keyward's own code ships bundled JavaScript only (npm packages may carry their TypeScript sources).
    expect(paths.filter((entry) => !entry.includes('/node_modules/') && entry.endsWith('.ts'))).toEqual([]);
    expect(readFileSync(path.join(root, 'usr/share/applications/keyward.desktop'), 'utf8')).toMatch(/^Exec=keyward$/m);
  });

  it('ships exactly the npm packages its SBOM lists, and the Node runtime the SBOM names', () => {
    const sbom = JSON.parse(readFileSync(SBOM, 'utf8')) as CycloneDx;
    expect(readFileSync(path.join(root, 'usr/share/doc/keyward/keyward.cdx.json'), 'utf8')).toBe(readFileSync(SBOM, 'utf8'));
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.metadata.component).toMatchObject({ name: 'keyward', version: VERSION });

    const shipped = [...new Set(installedPackages(path.join(root, APP, 'node_modules')))].sort();
    const listed = sbom.components.filter((component) => component.purl.startsWith('pkg:npm/')).map((component) => component['bom-ref']).sort();
    expect(listed).toEqual(shipped);
    expect(shipped.map((ref) => ref.slice(0, ref.lastIndexOf('@'))).filter((name) => DEV_ONLY.includes(name))).toEqual([]);
    expect(shipped.some((ref) => ref.startsWith('better-sqlite3@')) && shipped.some((ref) => ref.startsWith('pkcs11js@'))).toBe(true);

    const node = sbom.components.find((component) => component.name === 'nodejs');
    const binary = readFileSync(path.join(root, 'usr/lib/keyward/node/bin/node'));
    expect(node?.hashes).toEqual([{ alg: 'SHA-256', content: sha256(binary) }]);
    expect(capture(path.join(root, 'usr/lib/keyward/node/bin/node'), ['--version']).trim()).toBe(`v${node?.version}`);
  });

  it('is covered by SHA256SUMS (sha256sum -c)', () => {
    const sums = readFileSync(path.join(DIST, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`  ${path.basename(DEB)}\n`);
    expect(sums).toContain(`  ${path.basename(SBOM)}\n`);
    expect(capture('sha256sum', ['-c', 'SHA256SUMS'], { cwd: DIST })).toMatch(new RegExp(`${path.basename(DEB)}: OK`));
  });

  it('runs its kms: first start, a key, Encrypt and Decrypt, the audit chain', async () => {
    const dataDir = path.join(home, 'data');
    const env = cleanEnv(home, { KMS_DATA_DIR: dataDir });
    const init = await runInstalled(root, 'usr/bin/kms', ['InitializeDefaultKeyStore'], env, `${PASSWORD}\n`);
    expect(init.stderr).toBe('');
    expect(JSON.parse(init.stdout)).toMatchObject({ KeyStoreId: 'kst-default', ConnectionState: 'CONNECTED' });

    const unlocked = { ...env, KMS_DEFAULT_KEYSTORE_PASSWORD: PASSWORD };
    const created = await runInstalled(root, 'usr/bin/kms', ['CreateKey', '--KeySpec', 'Aliyun_AES_256', '--KeyUsage', 'ENCRYPT/DECRYPT'], unlocked);
    const keyId = (JSON.parse(created.stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const plaintext = Buffer.from('carried across the air gap').toString('base64');
    const sealed = await runInstalled(root, 'usr/bin/kms', ['Encrypt', '--KeyId', keyId, '--Plaintext', plaintext], unlocked);
    const blob = (JSON.parse(sealed.stdout) as { CiphertextBlob: string }).CiphertextBlob;
    const opened = await runInstalled(root, 'usr/bin/kms', ['Decrypt', '--CiphertextBlob', blob], unlocked);
    expect(JSON.parse(opened.stdout)).toMatchObject({ KeyId: keyId, Plaintext: plaintext });

    const verdict = await runInstalled(root, 'usr/bin/kms', ['VerifyAuditLog'], unlocked);
    expect(JSON.parse(verdict.stdout)).toMatchObject({ Valid: true });
    expect(readdirSync(dataDir)).toContain('registry.sqlite');
  });

  it('runs its keyward launcher without a display up to the first-run screen, and stops on SIGTERM', async () => {
    const env = cleanEnv(home, { XDG_DATA_HOME: path.join(home, 'xdg') });
    const launcher = startInstalled(root, 'usr/bin/keyward', env);
    try {
      // Without DISPLAY the launcher names the private page that opens the console's one session.
      const line = await launcher.waitForLine(/^\s*\(No DISPLAY: not opening a browser window\. Open (file:\/\/\S+) in Chromium/);
      const pageUrl = line[1] ?? '';
      expect(statSync(fileURLToPath(pageUrl)).mode & 0o777).toBe(0o600);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        await page.goto(pageUrl);
        await page.getByTestId('setup-password').waitFor({ state: 'visible', timeout: 60_000 });
        expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(#.*)?$/);
      } finally {
        await browser.close();
      }
    } finally {
      const exit = await launcher.stop();
      expect(exit, launcher.output()).toBe(0);
    }
    expect(readdirSync(path.join(home, 'xdg', 'keyward'))).toContain('registry.sqlite');
    expect(launcher.output()).not.toMatch(/nonce=/);
  });

  it('writes nothing under its own files at run time', () => {
    expect(treeState(root)).toEqual(before);
  });

  it('is lintian-clean apart from its justified overrides', () => {
    // --fail-on: any error or warning not overridden in usr/share/lintian/overrides/keyward fails.
    const report = capture('lintian', ['--fail-on', 'error,warning', DEB], { cwd: REPO_ROOT });
    expect(report.split('\n').filter((line) => /^[EW]: /.test(line))).toEqual([]);
  });
});
