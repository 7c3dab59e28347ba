/**
 * Reads a data directory's embedded SoftHSM2 token with OpenSC's pkcs11-tool, an independent
 * PKCS#11 client: what it reports is what the token holds, not what Keyward believes.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SOFTHSM_MODULE_PATH } from './softhsm';

export interface ToolObject {
  /** "Secret Key", "Private Key", "Public Key", "Data". */
  kind: string;
  id: string;
  label: string;
  /** The `Access:` flags, e.g. sensitive, always sensitive, never extractable, local. */
  access: string[];
  usage: string[];
  header: string;
}

export function listTokenObjects(dataDir: string, pin: string | null): ToolObject[] {
  return listObjectsOn({ confPath: path.join(dataDir, 'softhsm', 'softhsm2.conf'), tokenLabel: 'keyward-default', pin });
}

/**
 * The objects of any SoftHSM2 token, e.g. a cluster member (label from DescribeCluster, pin = kmsuser
 * password); with `pin: null`, what a session without login sees (public objects only).
 */
export function listObjectsOn(target: { confPath: string; tokenLabel: string; pin: string | null }): ToolObject[] {
  const login = target.pin === null ? [] : ['--login', '--pin', target.pin];
  const output = execFileSync(
    'pkcs11-tool',
    ['--module', SOFTHSM_MODULE_PATH, '--token-label', target.tokenLabel, ...login, '--list-objects'],
    { env: { ...process.env, SOFTHSM2_CONF: target.confPath }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const objects: ToolObject[] = [];
  let current: ToolObject | null = null;
  for (const line of output.split('\n')) {
    const header = /^(Secret Key|Private Key|Public Key) Object;?(.*)$/.exec(line) ?? /^(Data) object\b(.*)$/.exec(line);
    if (header) {
      current = { kind: header[1] ?? '', id: '', label: '', access: [], usage: [], header: line };
      objects.push(current);
      continue;
    }
    if (!current) continue;
    const field = /^\s+(label|ID|Usage|Access):\s*(.*)$/.exec(line);
    if (!field) continue;
    const value = (field[2] ?? '').trim();
    // Data objects print their label quoted.
    if (field[1] === 'label') current.label = value.replace(/^'(.*)'$/, '$1');
    if (field[1] === 'ID') current.id = value.toLowerCase();
    if (field[1] === 'Usage') current.usage = value.split(',').map((item) => item.trim());
    if (field[1] === 'Access') current.access = value.split(',').map((item) => item.trim());
  }
  return objects;
}

/** CKA_ID of a key version's objects, as Keyward derives it from the version UUID. */
export function objectIdOf(versionId: string): string {
  return versionId.replace(/-/g, '');
}
