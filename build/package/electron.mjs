// The Electron edition (AppImage and .deb through electron-builder), built only where an Electron
// binary exists: without one (air-gapped machines, where its download cannot work) there is nothing
// to package and the step says so. electron-builder is fetched by npx at that moment rather than
// kept as a devDependency: it is large, needs the network itself, and serves this step only.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { prepareElectronNative } from '../lib/electron-native.mjs';
import { electronBinary, localBin, ROOT, runSync } from '../lib/proc.mjs';

const ELECTRON_BUILDER = 'electron-builder@26';

/** Returns the artifacts it made, or null when it skipped (with the reason printed). */
export function packageElectron(distDir) {
  const binary = electronBinary();
  if (!binary) {
    console.log(
      '[package] Electron AppImage and .deb: SKIPPED: no Electron binary on this machine (its download is skipped offline; ' +
        'run KEYWARD_ELECTRON_DOWNLOAD=1 npm install where the network allows, then npm run package).',
    );
    return null;
  }
  console.log(`[package] Electron edition with ${binary}`);
  if (runSync(localBin('electron-vite'), ['build', '--ignoreConfigWarning']) !== 0) throw new Error('electron-vite build failed');
  const env = { ...process.env, KEYWARD_ELECTRON_SQLITE_BINDING: prepareElectronNative().KEYWARD_SQLITE_NATIVE_BINDING };
  const args = ['--yes', ELECTRON_BUILDER, '--config', join(ROOT, 'build', 'package', 'electron-builder.config.cjs'), '--linux', '--publish', 'never'];
  if (runSync('npx', args, { env }) !== 0) throw new Error('electron-builder failed');
  return readdirSync(distDir)
    .filter((name) => name.startsWith('keyward-electron-') && (name.endsWith('.AppImage') || name.endsWith('.deb')))
    .map((name) => join(distDir, name));
}
