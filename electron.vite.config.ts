import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config';

/**
 * The whole app: main process (plus the PKCS#11 worker as a second entry), preload, renderer → out/.
 *
 * KEYWARD_BUILD_ONLY=renderer builds only the renderer (the browser host and the UI tests need only
 * that, and it must not depend on the main process compiling); KEYWARD_BUILD_ONLY=main builds main
 * and preload. Unset: everything, which is what `electron-vite build` / `npm run build` do.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string): string => resolve(root, path);

/** Native addons are loaded from node_modules at run time, never bundled. */
const NATIVE = ['pkcs11js', 'better-sqlite3'];

const main: UserConfig['main'] = {
  build: {
    outDir: fromRoot('out/main'),
    externalizeDeps: { include: NATIVE },
    rollupOptions: {
      input: {
        index: fromRoot('electron/main/index.ts'),
        // Forked with utilityProcess by electron/main/app/electron-launcher.ts.
        'hsm-worker': fromRoot('electron/main/hsm/worker/main.ts'),
      },
      // ESM ("type": "module"), named .js like package.json "main" and the launcher expect.
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
};

const preload: UserConfig['preload'] = {
  build: {
    outDir: fromRoot('out/preload'),
    // A sandboxed preload cannot load modules: bundle everything but `electron` itself, as CommonJS
    // (sandboxed preloads are not ES modules), with .cjs so Node never mistakes it for ESM.
    externalizeDeps: false,
    rollupOptions: {
      input: { index: fromRoot('electron/preload/index.ts') },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
};

/**
 * The renderer engineer's renderer/vite.config.ts is the single source of the renderer settings
 * (root, base, plugins, target); here we only pin the entry and the output directory.
 */
const renderer: UserConfig['renderer'] = {
  ...rendererConfig,
  root: fromRoot('renderer'),
  build: {
    ...rendererConfig.build,
    outDir: fromRoot('out/renderer'),
    emptyOutDir: true,
    rollupOptions: {
      input: fromRoot('renderer/index.html'),
      // zod ships /* @__PURE__ */ comments Rollup cannot place; they are harmless and drown real warnings.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
};

const only = process.env.KEYWARD_BUILD_ONLY;

export default defineConfig(
  only === 'renderer' ? { renderer } : only === 'main' ? { main, preload } : { main, preload, renderer },
);
