import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * Standalone build of the renderer (`npx vite build --config renderer/vite.config.ts` → out/renderer).
 * electron.vite.config.ts builds the same thing as part of the app; this one is for UI work and the
 * browser host. `base: './'` keeps asset URLs relative so the page also loads from file://.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [vue()],
  // vue-i18n's build flags: composition API only (the legacy API compiled out), no devtools hooks. Its
  // own message compiler is dropped: src/i18n/compile-message.ts reads the console's simpler format.
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Stated, not left to the tool: electron-vite's renderer default is unminified (its entry chunk was
    // twice the size the .deb and the UI tests load), and every build of the renderer must be the same.
    minify: 'esbuild',
    // One air-gapped machine: no CDN, no preloading from elsewhere, no inline module preload polyfill
    // (it would need script-src 'unsafe-inline').
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2048,
  },
});
