import { KmsError } from '../../../../shared/errors';
import type { XksProxyRow } from '../../registry';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import type { ServiceContext } from '../service-context';

/** GetHealthStatus's answer (spec, "GetHealthStatus": every field required, 1-10 fleet entries). */
export interface XksHealth {
  xksProxyFleetSize: number;
  xksProxyVendor: string;
  xksProxyModel: string;
  ekmVendor: string;
  ekmFleetDetails: { id: string; model: string; healthStatus: 'ACTIVE' | 'DEGRADED' | 'UNAVAILABLE' }[];
}

const MAX_FLEET_ENTRIES = 10;
const PROBE_BYTES = 16;

/**
 * A deep health check of the proxy's key store, one entry per HSM: a logged-in token that answers a
 * call is ACTIVE (DEGRADED when AES-GCM does not reach it, e.g. a p11-kit network member), a member
 * that is not logged in or does not answer is UNAVAILABLE. The probe draws random bytes rather than
 * encrypting with a customer key, so key logs show no calls KMS did not make (spec's advice).
 */
export class XksHealthCheck {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
  ) {}

  async check(proxy: XksProxyRow): Promise<XksHealth> {
    const store = this.context.registry.keyStores.get(proxy.keyStoreId);
    const state = this.connections.get(proxy.keyStoreId).state;
    if (!store || state !== 'CONNECTED') {
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${proxy.keyStoreId} is ${state}; connect it to serve this XKS proxy.`);
    }
    const tokens = this.connections.tokensOf(store.id);
    const moduleName = store.moduleId ? (this.context.registry.modules.get(store.moduleId)?.name ?? 'PKCS#11 token') : 'PKCS#11 token';
    const members = this.connections.membersOf(store.id);
    const entries =
      members.length > 0
        ? members.map((member) => ({ id: member.hsmId, model: member.moduleName, token: tokens.find((token) => token.member?.hsmId === member.hsmId), aesGcm: member.aesGcm }))
        : tokens.map((token) => ({ id: store.tokenSerial ?? store.id, model: moduleName, token, aesGcm: true }));
    const details = await Promise.all(
      entries.slice(0, MAX_FLEET_ENTRIES).map(async (entry) => ({ id: entry.id, model: entry.model, healthStatus: await probe(entry.token, entry.aesGcm) })),
    );
    if (!details.some((detail) => detail.healthStatus !== 'UNAVAILABLE')) {
      throw new KmsError('HsmError.DeviceError', `No HSM of key store ${store.id} answers.`);
    }
    return { xksProxyFleetSize: 1, xksProxyVendor: 'Keyward', xksProxyModel: 'Keyward XKS Proxy 1.0', ekmVendor: moduleName, ekmFleetDetails: details };
  }
}

async function probe(token: TokenHandle | undefined, aesGcm: boolean): Promise<'ACTIVE' | 'DEGRADED' | 'UNAVAILABLE'> {
  if (!token) return 'UNAVAILABLE';
  try {
    (await token.hsm.generateRandom({ length: PROBE_BYTES })).fill(0);
    return aesGcm ? 'ACTIVE' : 'DEGRADED';
  } catch {
    return 'UNAVAILABLE';
  }
}
