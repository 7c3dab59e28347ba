import { homedir } from 'node:os';
import path from 'node:path';

/** `--data-dir`, else `KMS_DATA_DIR`, else the XDG data home. */
export function resolveDataDir(explicit: string | null, env: NodeJS.ProcessEnv): string {
  if (explicit) return path.resolve(explicit);
  if (env.KMS_DATA_DIR) return path.resolve(env.KMS_DATA_DIR);
  const dataHome = env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share');
  return path.join(dataHome, 'keyward');
}
