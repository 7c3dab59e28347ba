/**
 * The instance CA and the client key credentials of a closed core's data directory, run from
 * outside the dispatcher (what the application endpoint consumes): the real registry file, a
 * worker of its own logged in to the default token, the real key and audit services.
 */
import path from 'node:path';
import { HsmModules } from '../../../../electron/main/hsm/modules';
import { createNodeWorkerLauncher } from '../../../../electron/main/hsm/node-launcher';
import { createBufferedAuditWriter, openRegistry } from '../../../../electron/main/registry';
import { AccessKeySecrets } from '../../../../electron/main/services/access/access-key-secrets';
import { RegistryClientKeyCredentials } from '../../../../electron/main/services/access/client-key-credentials';
import { InstanceCa } from '../../../../electron/main/services/access/instance-ca';
import { AuditTrail } from '../../../../electron/main/services/audit/audit-trail';
import { DataKeys } from '../../../../electron/main/services/crypto/data-keys';
import { KeyUse } from '../../../../electron/main/services/crypto/key-use';
import { ensureInstallation } from '../../../../electron/main/services/installation';
import { KeyResolver } from '../../../../electron/main/services/keys/key-resolver';
import { KeyService } from '../../../../electron/main/services/keys/key-service';
import { KeyStoreConnections, tokenHandle } from '../../../../electron/main/services/keystores/connections';
import { DEFAULT_KEY_STORE_ID, defaultKeyStoreModuleSpec } from '../../../../electron/main/services/keystores/default-key-store';
import type { ServiceContext } from '../../../../electron/main/services/service-context';
import { SOFTHSM_MODULE_PATH } from '../../../support/softhsm';
import { ExternalKeyLayer } from '../../../../electron/main/services/external/external-key-layer';
import { ExternalKeyCheck } from '../../../../electron/main/services/external/external-key-check';
import { materialStoreIdOf } from '../../../../electron/main/services/keys/material-store';

export interface AccessOutside {
  instanceCa: InstanceCa;
  credentials: RegistryClientKeyCredentials;
}

export async function withAccessOutside<T>(dataDir: string, password: string, use: (access: AccessOutside) => Promise<T>): Promise<T> {
  const registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
  const hsm = new HsmModules(createNodeWorkerLauncher());
  const context: ServiceContext = { registry, hsm, dataDir, softHsmModulePath: SOFTHSM_MODULE_PATH, now: () => new Date() };
  const writer = createBufferedAuditWriter(registry, { maxBatch: 16, maxDelayMs: 10 });
  try {
    const client = hsm.client(defaultKeyStoreModuleSpec(context));
    const slots = await client.listSlots();
    const serial = slots.find((slot) => slot.token?.label === 'keyward-default')?.token?.serial ?? '';
    await client.login({ serial, userPin: password });
    const connections = new KeyStoreConnections();
    connections.set(DEFAULT_KEY_STORE_ID, 'CONNECTED', null, [tokenHandle(client, serial)]);
    const audit = new AuditTrail(context, writer);
    const scope = ensureInstallation(context);
    const resolver = new KeyResolver(context);
    const external = new ExternalKeyLayer(scope);
    const keyUse = new KeyUse(connections, resolver, audit, external, (key) => materialStoreIdOf(context.registry, key));
    const keys = new KeyService(context, connections, resolver, audit, scope, new ExternalKeyCheck(context.registry, external));
    const secrets = new AccessKeySecrets(context, keys, keyUse, new DataKeys(keyUse));
    return await use({
      instanceCa: new InstanceCa(context, connections, audit, scope),
      credentials: new RegistryClientKeyCredentials(context, secrets),
    });
  } finally {
    await writer.close();
    await hsm.closeAll();
    registry.close();
  }
}
