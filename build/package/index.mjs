#!/usr/bin/env node
// `npm run package`: the offline distribution, written to dist/:
//   keyward_<version>_amd64.deb    browser-host edition and the kms CLI, with its own Node runtime
//   keyward-<version>.cdx.json     CycloneDX SBOM of exactly what the .deb ships
//   SHA256SUMS (+ .asc or .sig)    checksums of the artifacts, signed when a key is given (checksums.mjs)
//   keyward-electron-*             the Electron edition, only where an Electron binary exists
// Intermediate files go to .cache/package/. See README "Install on an air-gapped workstation".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, BootstrapError } from '../bootstrap.mjs';
import { ROOT } from '../lib/proc.mjs';
import { buildRenderer, bundleApp } from './bundle.mjs';
import { writeChecksums, signChecksums } from './checksums.mjs';
import { buildDeb } from './deb.mjs';
import { packageElectron } from './electron.mjs';
import { LOADED_AT_RUN_TIME, productionPackages } from './production-deps.mjs';
import { makeSbom } from './sbom.mjs';
import { PREFIX, stagePackage } from './stage.mjs';

const DIST = join(ROOT, 'dist');
const WORK = join(ROOT, '.cache', 'package');

function log(message) {
  console.log(`[package] ${message}`);
}

async function timed(name, fn) {
  const started = Date.now();
  const result = await fn();
  log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** The last commit's time, so that two builds of one commit give the same files (SOURCE_DATE_EPOCH wins). */
function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const git = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' });
  const epoch = Number(git.stdout?.trim());
  return git.status === 0 && Number.isInteger(epoch) && epoch > 0 ? epoch : Math.floor(Date.now() / 1000);
}

/** Every package the bundle imports (or loads with createRequire) must be in the shipped tree. */
function assertShipped(imported, packages) {
  const shipped = new Set(packages.map((pkg) => pkg.name));
  const missing = [...imported, ...LOADED_AT_RUN_TIME].filter((name) => !shipped.has(name));
  if (missing.length > 0) throw new Error(`the bundle needs packages that are not production dependencies: ${missing.join(', ')}`);
}

async function main() {
  const started = Date.now();
  bootstrap();
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const epochSeconds = sourceDateEpoch();
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });

  const rendererDir = join(WORK, 'renderer');
  await timed('renderer build', () => buildRenderer(rendererDir));
  const bundleDir = join(WORK, 'bundle');
  const imported = await timed('bundle (host, kms, worker, launcher)', () => bundleApp(bundleDir));
  const packages = productionPackages();
  assertShipped(imported, packages);

  const root = join(WORK, 'root');
  const elfFiles = await timed('stage', () =>
    stagePackage({ root, version, bundleDir, rendererDir, packages, epochSeconds }),
  );
  const nodePath = `/${PREFIX}/node/bin/node`;
  const sbom = await timed('sbom', () => makeSbom({ version, packages, nodeBinary: join(root, nodePath), nodePath, epochSeconds }));
  const sbomFile = join(DIST, `keyward-${version}.cdx.json`);
  writeFileSync(sbomFile, sbom);
  // The SBOM also travels inside the package, next to the copyright file that points to it.
  const sbomInside = join(root, 'usr/share/doc/keyward/keyward.cdx.json');
  writeFileSync(sbomInside, sbom, { mode: 0o644 });
  utimesSync(sbomInside, epochSeconds, epochSeconds);

  const debFile = join(DIST, `keyward_${version}_amd64.deb`);
  await timed('dpkg-deb', () => buildDeb({ root, version, elfFiles, debFile, epochSeconds }));
  const electron = await timed('electron edition', () => packageElectron(DIST));

  const artifacts = [debFile, sbomFile, ...(electron ?? [])];
  const sums = writeChecksums(DIST, artifacts);
  const signature = signChecksums(sums);
  log(signature ? `signed: ${signature}` : 'SHA256SUMS not signed (no KEYWARD_SIGN_GPG_KEY or KEYWARD_SIGN_OPENSSL_KEY)');
  for (const file of [...artifacts, sums, ...(signature ? [signature] : [])]) {
    log(`wrote ${file.slice(ROOT.length + 1)} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB)`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(`[package] ${error instanceof BootstrapError ? error.message : (error?.stack ?? error)}`);
  process.exit(1);
});
