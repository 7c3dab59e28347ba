// electron-builder configuration of the Electron edition (AppImage and .deb), used by
// build/package/electron.mjs only where an Electron binary exists. better-sqlite3 is not N-API:
// node_modules keeps the build for Node (tests, CLI, browser host), so electron-builder must not
// rebuild it in place (npmRebuild: false); afterPack puts the Electron build, made by
// build/lib/electron-native.mjs, into the packaged app instead. pkcs11js is N-API: one build
// serves both runtimes.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS config is what every electron-builder version loads */
const { copyFileSync, existsSync } = require('node:fs');
const path = require('node:path');

module.exports = {
  appId: 'org.keyward.console',
  productName: 'Keyward',
  executableName: 'keyward-electron',
  directories: { output: 'dist', buildResources: 'build/package/files' },
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', '!node_modules/tsx/**'],
  asarUnpack: ['**/*.node'],
  npmRebuild: false,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    artifactName: 'keyward-electron-${version}-${arch}.${ext}',
  },
  deb: { depends: ['softhsm2', 'p11-kit', 'p11-kit-modules'] },
  afterPack(context) {
    const binding = process.env.KEYWARD_ELECTRON_SQLITE_BINDING;
    if (!binding || !existsSync(binding)) throw new Error('KEYWARD_ELECTRON_SQLITE_BINDING must name better-sqlite3 built for Electron');
    const target = path.join(context.appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    copyFileSync(binding, target);
  },
};
