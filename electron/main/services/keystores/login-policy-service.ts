/**
 * UpdateKeyStoreLoginPolicy and UnlockKeyStore: the officer's side of the login guard. Only cluster
 * key stores can lock: the default store's SO PIN was random and forgotten at initialization, so a
 * lockout there could never be cleared and would lose every key of the store; it gets the back-off only.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { keyStoreSubject, type LoginGuard } from './login-guard';

/** Proves a cluster's SO PIN on one of its members (services/clusters). */
export interface SoPinChecker {
  checkSoPin(store: KeyStoreRow, soPin: string): Promise<void>;
}

const NO_SO_PIN =
  'The default key store has no SO PIN (a random one was forgotten at initialization), so nobody could clear a lockout: it never locks, failed logins only back off.';

export class LoginPolicyService {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
    private readonly loginGuard: LoginGuard,
    private readonly soPins: SoPinChecker,
  ) {}

  updatePolicy(input: ParsedInput<'UpdateKeyStoreLoginPolicy'>, request: RequestContext): OperationResult<'UpdateKeyStoreLoginPolicy'> {
    const store = this.requireStore(input.KeyStoreId);
    if (store.type === 'DEFAULT' && input.MaxFailedLogins !== 0) {
      throw new KmsError('UnsupportedOperation', `${NO_SO_PIN} MaxFailedLogins must be 0 here.`);
    }
    this.audit.recordChange(
      request,
      { operation: 'UpdateKeyStoreLoginPolicy', resourceId: store.id, details: { MaxFailedLogins: input.MaxFailedLogins } },
      () => this.loginGuard.setPolicy(keyStoreSubject(store), input.MaxFailedLogins),
    );
    return { KeyStoreId: store.id, MaxFailedLogins: input.MaxFailedLogins };
  }

  /** Clears the failed logins and the lockout once an SO login on a member accepts the SO PIN (a wrong one is counted). */
  async unlock(input: ParsedInput<'UnlockKeyStore'>, request: RequestContext): Promise<OperationResult<'UnlockKeyStore'>> {
    const store = this.requireStore(input.KeyStoreId);
    if (store.type === 'DEFAULT') throw new KmsError('UnsupportedOperation', NO_SO_PIN);
    const subject = keyStoreSubject(store);
    await this.loginGuard.attempt(subject, request, { operation: 'UnlockKeyStore', resourceId: store.id, unlocking: true }, () =>
      this.soPins.checkSoPin(store, input.SoPin),
    );
    const status = this.loginGuard.status(subject);
    return { KeyStoreId: store.id, FailedLogins: status.failedLogins, LockedOut: status.lockedOut };
  }

  private requireStore(keyStoreId: string): KeyStoreRow {
    const store = this.context.registry.keyStores.get(keyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${keyStoreId} does not exist.`);
    return store;
  }
}
