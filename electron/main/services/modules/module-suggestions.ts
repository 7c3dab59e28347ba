/**
 * PKCS#11 libraries found in the usual Debian places (SoftHSM2, OpenSC, the p11-kit client and
 * proxy, vendor libraries dropped into the multiarch pkcs11 directory), offered for RegisterModule.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface ModuleSuggestion {
  Path: string;
  Name: string;
  NetworkClient: boolean;
}

const KNOWN_NAMES: Readonly<Record<string, string>> = {
  'libsofthsm2.so': 'SoftHSM2',
  'opensc-pkcs11.so': 'OpenSC',
  'onepin-opensc-pkcs11.so': 'OpenSC (one PIN)',
  'p11-kit-client.so': 'p11-kit network HSM client',
  'p11-kit-proxy.so': 'p11-kit proxy (system modules)',
};

/** Libraries whose environment picks the HSM (a token dir, a server): worth registering more than once. */
const PER_ENVIRONMENT: ReadonlySet<string> = new Set(['libsofthsm2.so', 'p11-kit-client.so']);

/** Not HSMs: the trust store module and the call-logging shim. */
const NOT_HSMS: ReadonlySet<string> = new Set(['p11-kit-trust.so', 'pkcs11-spy.so']);

function multiarchDirs(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((entry) => /-linux-gnu[a-z]*$/.test(entry))
      .map((entry) => path.join(root, entry));
  } catch {
    return [];
  }
}

function libraries(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((entry) => entry.endsWith('.so') && !NOT_HSMS.has(entry))
      .map((entry) => path.join(dir, entry));
  } catch {
    return [];
  }
}

export function suggestModules(registeredPaths: ReadonlySet<string>, root = '/usr/lib'): ModuleSuggestion[] {
  const candidates = new Set<string>([path.join(root, 'softhsm/libsofthsm2.so')]);
  for (const arch of multiarchDirs(root)) {
    for (const file of libraries(path.join(arch, 'pkcs11'))) candidates.add(file);
    for (const name of ['softhsm/libsofthsm2.so', 'opensc-pkcs11.so', 'p11-kit-proxy.so']) candidates.add(path.join(arch, name));
  }
  return [...candidates]
    .filter((file) => existsSync(file) && (!registeredPaths.has(file) || PER_ENVIRONMENT.has(path.basename(file))))
    .sort()
    .map((file) => {
      const base = path.basename(file);
      return { Path: file, Name: KNOWN_NAMES[base] ?? base.replace(/\.so$/, ''), NetworkClient: base === 'p11-kit-client.so' };
    });
}
