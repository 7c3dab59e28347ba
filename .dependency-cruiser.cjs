// Layering of Keyward, checked by `npm run depcheck` (and by `npm test`).
//
//   renderer ──(window.kms / WebSocket, types from shared)──▶ transports ─▶ services ─▶ registry
//                                                                    └──────────────▶ hsm (worker process)
//   app/ composes everything; hsm/ is the bottom layer and knows no one above it.
//
// The renderer is untrusted browser code: no Electron, no Node, no native addons. shared/ is loaded
// by both sides, so it may depend on neither.
const MAIN = '^electron/main/';
/** renderer/ source, not its build config (vite.config.ts runs in Node at build time). */
const RENDERER = { path: '^renderer/', pathNot: '^renderer/[^/]+\\.config\\.[cm]?ts$' };

/** Node builtins as dependency-cruiser reports them (`fs`, `node:fs`, …). */
const noBuiltins = { dependencyTypes: ['core'] };

const layer = (name, from, forbidden) => ({
  name,
  severity: 'error',
  comment: `${from} must not import ${forbidden.join(', ')} (layering, see README "Architecture")`,
  from: { path: `${MAIN}${from}/` },
  to: { path: `${MAIN}(${forbidden.join('|')})/` },
});

module.exports = {
  forbidden: [
    layer('hsm-is-the-bottom-layer', 'hsm', ['registry', 'services', 'transports', 'app']),
    layer('registry-below-services', 'registry', ['services', 'transports', 'app']),
    layer('services-below-transports', 'services', ['transports', 'app']),
    layer('transports-below-app', 'transports', ['app']),
    {
      name: 'worker-files-stay-in-the-worker',
      severity: 'error',
      comment: 'hsm/worker/ runs only inside the PKCS#11 worker process; the main process reaches it through protocol.ts.',
      from: { pathNot: '^electron/main/hsm/worker/' },
      to: { path: '^electron/main/hsm/worker/' },
    },
    {
      name: 'pkcs11js-only-in-the-worker',
      severity: 'error',
      comment: 'A native crash in pkcs11js must cost one worker restart, never the main process.',
      from: { pathNot: '^electron/main/hsm/worker/' },
      to: { path: '^pkcs11js$|(^|/)node_modules/pkcs11js/' },
    },
    {
      name: 'better-sqlite3-only-in-the-registry',
      severity: 'error',
      comment: 'The registry owns the database: every change goes through its repositories and transactions.',
      from: { pathNot: '^electron/main/registry/' },
      to: { path: '^better-sqlite3$|(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'electron-only-in-the-shell',
      severity: 'error',
      comment: 'The core also runs without Electron (browser host, CLI, tests): only the shell, app/, the IPC transport and the preload use it.',
      from: { pathNot: '^electron/(main/(index\\.ts$|app/|transports/ipc\\.ts$)|preload/)' },
      to: { path: '^electron$|(^|/)node_modules/electron/' },
    },
    {
      name: 'renderer-not-electron',
      severity: 'error',
      comment: 'The renderer reaches the core only through window.kms or the browser host WebSocket.',
      from: RENDERER,
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'The renderer runs sandboxed without Node: no builtins, no native addons, no server libraries.',
      from: RENDERER,
      to: { ...noBuiltins },
    },
    {
      name: 'renderer-no-native-or-server-deps',
      severity: 'error',
      from: RENDERER,
      // Matches the installed package and, where it is not installed, the bare name.
      to: { path: '^(pkcs11js|better-sqlite3|ws)$|(^|/)node_modules/(pkcs11js|better-sqlite3|ws)/' },
    },
    {
      name: 'renderer-no-electron-module',
      severity: 'error',
      comment: 'Only the preload talks to Electron.',
      from: RENDERER,
      to: { path: '^electron$|(^|/)node_modules/electron/' },
    },
    {
      name: 'shared-is-neutral',
      severity: 'error',
      comment: 'shared/ is imported by the renderer and the main process alike.',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'shared-no-node',
      severity: 'error',
      from: { path: '^shared/' },
      to: { ...noBuiltins },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make initialisation order fragile and hide layering violations.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(out|dist|\\.cache|test-results|playwright-report)/' },
    // Resolve like TypeScript does (extensionless imports of .ts/.vue files).
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.vue', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
