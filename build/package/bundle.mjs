// The packaged edition runs plain JavaScript on the Node it ships: the browser host, the `kms` CLI,
// the PKCS#11 worker and the `keyward` launcher are bundled here from their sources, so nothing
// compiles TypeScript at run time (no tsx in the package). npm dependencies stay external: they
// ship as a production node_modules tree the SBOM describes package by package.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';
import { ROOT } from '../lib/proc.mjs';

export const ENTRIES = {
  'browser-host': 'electron/host/browser-host.ts',
  kms: 'electron/cli/kms.ts',
  // node-launcher.ts looks for `hsm-worker.js` next to the code that forks it: same directory,
  // which is why shared chunks are not put in a subdirectory either.
  'hsm-worker': 'electron/main/hsm/worker/main.ts',
  'keyward-launcher': 'build/package/keyward-launcher.mjs',
};

/**
 * The renderer, from renderer/vite.config.ts (the single source of its settings) into `outDir`:
 * not out/renderer, which `npm test` and `npm start` build and read at the same time.
 */
export async function buildRenderer(outDir) {
  await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/** Bundles the entries into `outDir` and returns the bare package names the bundle imports. */
export async function bundleApp(outDir) {
  const imported = new Set();
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: {
      ssr: true,
      target: 'node20',
      outDir,
      emptyOutDir: true,
      minify: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, join(ROOT, source)])),
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        // Record every import left external, to prove each is shipped (see stage.mjs).
        external: (id) => {
          if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
          if (builtins.has(id)) return true;
          imported.add(packageName(id));
          return true;
        },
      },
    },
  });
  return [...imported].sort();
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
