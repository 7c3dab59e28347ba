/**
 * Who may approve loading a PKCS#11 library that is not root's file in a system library directory.
 * The renderer (and whoever reaches the browser host's socket) is not the officer: such a library
 * is loaded only when the call comes from the kms command line (the officer at the terminal), when
 * the officer listed it in `<data dir>/trusted-modules`, or when the app's main process asked the
 * officer in a dialog of its own. A library another user could replace is never loaded.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { KmsError } from '../../../../shared/errors';
import type { RequestContext } from '../request-context';
import { assessLibrary, readTrustedModuleList } from './library-trust';

export const TRUSTED_MODULES_FILE = 'trusted-modules';

export interface ModuleApprovalOptions {
  /** Directories whose root-owned libraries need no approval. */
  trustedDirs: readonly string[];
  /** Electron: asks the officer in a main-process dialog; true loads the library. */
  confirmUntrustedModule?: (libraryPath: string) => Promise<boolean>;
}

/**
 * Throws Forbidden.UntrustedModule unless the library may be loaded; runs before any worker
 * exists for it. The refusal reads the same whatever the reason (missing file, wrong owner,
 * writable directory, not confirmed), so it tells nothing about files the caller cannot see.
 */
export async function approveLibrary(
  libraryPath: string,
  request: RequestContext,
  dataDir: string,
  options: ModuleApprovalOptions,
): Promise<void> {
  const uid = userInfo().uid;
  const { trust, realPath } = assessLibrary(libraryPath, { trustedDirs: options.trustedDirs, uid });
  if (trust === 'trusted') return;
  if (trust === 'needs-officer') {
    if (request.transport === 'cli') return;
    const listed = readTrustedModuleList(path.join(dataDir, TRUSTED_MODULES_FILE), uid);
    if (listed.has(libraryPath) || (realPath !== null && listed.has(realPath))) return;
    if (options.confirmUntrustedModule && (await options.confirmUntrustedModule(libraryPath))) return;
  }
  throw new KmsError('Forbidden.UntrustedModule', refusal(libraryPath, dataDir, options.trustedDirs));
}

function refusal(libraryPath: string, dataDir: string, trustedDirs: readonly string[]): string {
  return (
    `${libraryPath} is not loaded: without the officer's confirmation Keyward loads only root's files under ${trustedDirs.join(', ')} ` +
    `(every directory on the way owned by root and writable by no one else). Register it with the kms command line, ` +
    `or list it in ${path.join(dataDir, TRUSTED_MODULES_FILE)} (one absolute path per line; the file yours, mode 0600). ` +
    'A file or directory that other users can write is never loaded.'
  );
}
