// The CycloneDX SBOM of exactly what the .deb ships: npm's own SBOM of the installed tree (with the
// lockfile's registry integrity hashes), cut down to the shipped packages, plus the two components
// npm cannot see: the Node runtime copied into the package and the SQLite that better-sqlite3
// compiles in. `npm sbom --omit dev` is not used: it drops production packages that a dev
// dependency also uses (npm/cli#7909), which would make the SBOM incomplete.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/proc.mjs';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const ref = ({ name, version }) => `${name}@${version}`;

function npmSbom() {
  // Without NODE_ENV: Vite's build sets it to "production" in this process, and npm then omits
  // dev dependencies by default, which drops shared production packages with them (see above).
  const { NODE_ENV: _ignored, ...env } = process.env;
  const result = spawnSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...env, npm_config_loglevel: 'error' },
  });
  if (result.status !== 0) throw new Error(`npm sbom failed (is node_modules in step with package-lock.json? run npm install):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** SQLite's version from the amalgamation better-sqlite3 builds from, when its sources are installed. */
function sqliteVersion() {
  const header = join(ROOT, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3', 'sqlite3.h');
  if (!existsSync(header)) return null;
  return /#define SQLITE_VERSION\s+"([^"]+)"/.exec(readFileSync(header, 'utf8'))?.[1] ?? null;
}

/** A UUID derived from the content: the same build gives the same SBOM (and the same SHA256SUMS). */
function serialFor(content) {
  const hex = sha256(content);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * packages: [{name, version}] copied into the package; nodeBinary: the staged (stripped) runtime;
 * nodePath: where it is installed. Throws when npm's tree and the shipped set disagree.
 */
export function makeSbom({ version, packages, nodeBinary, nodePath, epochSeconds }) {
  const full = npmSbom();
  const shipped = new Set(packages.map(ref));
  const components = full.components.filter((component) => shipped.has(component['bom-ref']));
  const missing = [...shipped].filter((name) => !components.some((component) => component['bom-ref'] === name));
  if (missing.length > 0) throw new Error(`npm sbom does not list these shipped packages: ${missing.join(', ')}`);

  const rootRef = `keyward@${version}`;
  const nodeRef = `nodejs@${process.versions.node}`;
  components.push({
    'bom-ref': nodeRef,
    type: 'application',
    name: 'nodejs',
    version: process.versions.node,
    description: `The Node.js runtime the package runs on, installed as ${nodePath} (copied from the build machine, stripped)`,
    purl: `pkg:generic/nodejs@${process.versions.node}`,
    hashes: [{ alg: 'SHA-256', content: sha256(readFileSync(nodeBinary)) }],
    licenses: [{ license: { id: 'MIT' } }],
    externalReferences: [{ type: 'website', url: 'https://nodejs.org/' }],
  });
  const dependencies = full.dependencies
    .filter((entry) => shipped.has(entry.ref) || entry.ref === full.metadata.component['bom-ref'])
    .map((entry) => ({
      ref: shipped.has(entry.ref) ? entry.ref : rootRef,
      dependsOn: (entry.dependsOn ?? []).filter((dependency) => shipped.has(dependency)),
    }));
  const rootEntry = dependencies.find((entry) => entry.ref === rootRef);
  if (rootEntry) rootEntry.dependsOn.push(nodeRef);
  const sqlite = sqliteVersion();
  const betterSqlite = packages.find((pkg) => pkg.name === 'better-sqlite3');
  if (sqlite && betterSqlite) {
    const sqliteRef = `sqlite@${sqlite}`;
    components.push({
      'bom-ref': sqliteRef,
      type: 'library',
      name: 'sqlite',
      version: sqlite,
      description: 'Compiled into better-sqlite3\'s native addon (its bundled amalgamation)',
      purl: `pkg:generic/sqlite@${sqlite}`,
      licenses: [{ license: { name: 'Public Domain' } }],
      externalReferences: [{ type: 'website', url: 'https://sqlite.org/' }],
    });
    dependencies.find((entry) => entry.ref === ref(betterSqlite))?.dependsOn.push(sqliteRef);
    dependencies.push({ ref: sqliteRef, dependsOn: [] });
  }
  dependencies.push({ ref: nodeRef, dependsOn: [] });

  const sbom = {
    ...full,
    metadata: {
      ...full.metadata,
      timestamp: new Date(epochSeconds * 1000).toISOString(),
      component: {
        'bom-ref': rootRef,
        type: 'application',
        name: 'keyward',
        version,
        description: 'Keyward, Debian package keyward_' + version + '_amd64.deb (browser-host edition and the kms CLI)',
        purl: `pkg:generic/keyward@${version}`,
      },
    },
    components: components.sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref'])),
    dependencies: dependencies.sort((a, b) => a.ref.localeCompare(b.ref)),
  };
  sbom.serialNumber = serialFor(JSON.stringify({ ...sbom, serialNumber: null }));
  return `${JSON.stringify(sbom, null, 2)}\n`;
}
