import type { HsmModules } from '../hsm';
import type { Registry } from '../registry';

/** What every service is built from; assembled once by the composition root. */
export interface ServiceContext {
  registry: Registry;
  hsm: HsmModules;
  dataDir: string;
  /** Path of the SoftHSM2 library backing the default key store. */
  softHsmModulePath: string;
  now(): Date;
}

export function isoNow(context: ServiceContext): string {
  return context.now().toISOString();
}
