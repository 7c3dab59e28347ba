import { randomInt } from 'node:crypto';
import type { ArnScope } from './keys/key-metadata';
import type { ServiceContext } from './service-context';

const OWNER_KEY = 'installation.owner';
const REGION_KEY = 'installation.region';
/** An offline console has no cloud region; ARNs still need one, so it is named for what it is. */
export const DEFAULT_REGION = 'offline-1';

/** The owner id (16 digits, like a cloud account id) is drawn once per data directory. */
export function ensureInstallation(context: ServiceContext): ArnScope {
  const { meta } = context.registry;
  return context.registry.transaction(() => {
    let owner = meta.get(OWNER_KEY);
    if (!owner) {
      owner = String(randomInt(1, 10)) + Array.from({ length: 15 }, () => String(randomInt(0, 10))).join('');
      meta.set(OWNER_KEY, owner);
    }
    let region = meta.get(REGION_KEY);
    if (!region) {
      region = DEFAULT_REGION;
      meta.set(REGION_KEY, region);
    }
    return { owner, region };
  });
}
