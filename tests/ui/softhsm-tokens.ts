import { hostKmsClient } from '../../testing/kms-client';
import { createLabHsms as createKitLabHsms, type LabHsm } from '../../testing/lab-hsms';
import type { KeywardHost } from './fixtures';

export { SOFTHSM_MODULE, type LabHsm } from '../../testing/lab-hsms';

/**
 * Test-only stand-ins for separate HSMs (the kit's lab HSMs), registered over the session the
 * `host` fixture's page opened. Nothing of this is in the product surface.
 */
export function createLabHsms(host: KeywardHost, names: readonly string[]): Promise<{ hsms: LabHsm[]; cleanup(): Promise<void> }> {
  return createKitLabHsms(hostKmsClient(host), names);
}
