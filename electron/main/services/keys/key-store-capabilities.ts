import { KEY_SPECS, type KeySpec, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import { requireReplicable } from '../clusters/replication';
import type { KeyStoreConnections } from '../keystores/connections';
import type { ServiceContext } from '../service-context';
import { materialSpecOf } from './key-specs';
import { TokenCapabilities } from './token-capabilities';

/**
 * DescribeKeyStoreCapabilities: what every connected HSM of a store can do, so that the console
 * offers exactly what CreateKey and GetParametersForImport will accept there (they ask the same
 * TokenCapabilities, and a cluster store additionally what replication can carry).
 */
export class KeyStoreCapabilitiesService {
  private readonly capabilities = new TokenCapabilities();

  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
  ) {}

  async describe(input: ParsedInput<'DescribeKeyStoreCapabilities'>): Promise<OperationResult<'DescribeKeyStoreCapabilities'>> {
    const store = this.context.registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    if (store.type === 'EXTERNAL_KEY_STORE') {
      // Its keys are AES-256 keys at the proxy (their own layer in the default store); nothing is imported there.
      const { state } = this.connections.get(store.id);
      if (state !== 'CONNECTED') throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is ${state}; connect it first.`);
      return { KeyStoreId: store.id, KeySpecs: ['Aliyun_AES_256'], WrappingAlgorithms: [] };
    }
    const tokens = this.connections.requireTokens(store.id);
    const perToken = await Promise.all(
      tokens.map(async (token) => ({ specs: await this.capabilities.keySpecs(token), algorithms: await this.capabilities.wrappingAlgorithms(token) })),
    );
    const members = this.connections.membersOf(store.id);
    const replicable = (spec: KeySpec): boolean => {
      if (store.clusterId === null) return true;
      try {
        requireReplicable(materialSpecOf(spec), spec, members);
        return true;
      } catch {
        return false;
      }
    };
    const everywhere = <T>(values: readonly T[], of: (entry: (typeof perToken)[number]) => readonly T[]): T[] =>
      values.filter((value) => perToken.every((entry) => of(entry).includes(value)));
    const algorithms = [...new Set(perToken.flatMap((entry) => entry.algorithms))];
    return {
      KeyStoreId: store.id,
      KeySpecs: everywhere(KEY_SPECS, (entry) => entry.specs).filter(replicable),
      WrappingAlgorithms: everywhere(algorithms, (entry) => entry.algorithms),
    };
  }
}
