import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreConnections } from '../keystores/connections';
import type { ServiceContext } from '../service-context';
import { passwordAlphabet, randomPassword } from './random-password';

/** GetRandomPassword: characters drawn from the default key store's HSM generator (C_GenerateRandom). */
export class PasswordService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
  ) {}

  async generate(input: ParsedInput<'GetRandomPassword'>): Promise<OperationResult<'GetRandomPassword'>> {
    const alphabet = passwordAlphabet(input);
    const store = this.context.registry.keyStores.getDefault();
    if (!store) throw new KmsError('Forbidden.KeyStoreState', 'The default key store does not exist yet (InitializeDefaultKeyStore).');
    const password = await randomPassword(alphabet, (length) =>
      this.connections.withToken(store.id, {}, (token) => token.hsm.generateRandom({ length })),
    );
    return { RandomPassword: password };
  }
}
