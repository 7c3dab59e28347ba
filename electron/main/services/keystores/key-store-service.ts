import { randomBytes } from 'node:crypto';
import type { ConnectionErrorCode, ConnectionState, KeyStore, OperationResult, ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { tokenHandle, type KeyStoreConnections } from './connections';
import { DEFAULT_TOKEN_LABEL, defaultKeyStoreModuleSpec } from './default-key-store';
import { keyStoreSubject, type LoginGuard } from './login-guard';
import { apiDate } from '../api-date';

/** Which ConnectionErrorCode a failed login reports. */
const CONNECTION_ERROR_BY_CODE: Record<string, ConnectionErrorCode> = {
  'HsmError.PinIncorrect': 'INVALID_CREDENTIALS',
  'HsmError.PinInvalid': 'INVALID_CREDENTIALS',
  'HsmError.PinLocked': 'USER_LOCKED_OUT',
  'HsmError.DeviceRemoved': 'NETWORK_ERRORS',
  'HsmError.TokenNotPresent': 'NETWORK_ERRORS',
  'HsmError.DeviceError': 'NETWORK_ERRORS',
};

/** ConnectKeyStore answers this without looking at the password: a login in progress or in place is not checked again. */
const BUSY_STATES: ReadonlySet<ConnectionState> = new Set(['CONNECTED', 'CONNECTING', 'DISCONNECTING']);

/** Connects key stores bound to an HSM cluster (services/clusters). */
export interface ClusterStoreConnector {
  connect(store: KeyStoreRow, password: string, request: RequestContext): Promise<OperationResult<'ConnectKeyStore'>>;
}

/** Connects external key stores to their XKS proxy (services/external), and describes the proxy. */
export interface ExternalStoreConnector {
  connect(store: KeyStoreRow, request: RequestContext): Promise<OperationResult<'ConnectKeyStore'>>;
  disconnect(store: KeyStoreRow): void;
  describe(store: KeyStoreRow): Pick<KeyStore, 'XksProxyConfiguration' | 'XksProxyHealth'>;
}

export class KeyStoreService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
    private readonly loginGuard: LoginGuard,
    private readonly clusterStores?: ClusterStoreConnector,
    private readonly externalStores?: ExternalStoreConnector,
  ) {}

  describe(input: ParsedInput<'DescribeKeyStores'>): OperationResult<'DescribeKeyStores'> {
    const { registry } = this.context;
    const rows = input.KeyStoreId ? [registry.keyStores.get(input.KeyStoreId)] : registry.keyStores.list();
    if (rows.some((row) => row === null)) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    const counts = registry.keyStores.countKeysByStore();
    const defaultForHsmKeys = registry.keyStores.getDefaultForHsmKeys()?.id ?? null;
    return {
      KeyStores: rows.flatMap((row) => {
        if (!row) return [];
        const connection = this.connections.get(row.id);
        const login = this.loginGuard.status(keyStoreSubject(row));
        // A locked store cannot connect, in this process or any other: say so whatever this process last saw.
        const lockedOut = login.lockedOut && connection.state !== 'CONNECTED';
        return [
          {
            KeyStoreId: row.id,
            KeyStoreName: row.name,
            KeyStoreType: row.type,
            ProtectionLevel: row.protectionLevel,
            ConnectionState: lockedOut ? 'FAILED' : connection.state,
            ConnectionErrorCode: lockedOut ? 'USER_LOCKED_OUT' : connection.errorCode,
            Initialized: row.initialized,
            ClusterId: row.clusterId,
            CreationDate: apiDate(row.createdAt),
            KeyCount: counts.get(row.id) ?? 0,
            FailedLogins: login.failedLogins,
            MaxFailedLogins: login.maxFailedLogins,
            LockedOut: login.lockedOut,
            DefaultForHsmKeys: row.id === defaultForHsmKeys,
            ...(row.type === 'EXTERNAL_KEY_STORE' && this.externalStores ? this.externalStores.describe(row) : {}),
          },
        ];
      }),
    };
  }

  /**
   * First run: initializes the embedded token. The SO PIN is random and forgotten at once, so
   * nobody (Keyward included) can reset the officer's password and reach the keys without it.
   */
  async initializeDefault(
    input: ParsedInput<'InitializeDefaultKeyStore'>,
    request: RequestContext,
  ): Promise<OperationResult<'InitializeDefaultKeyStore'>> {
    const { registry, hsm } = this.context;
    const store = registry.keyStores.getDefault();
    if (!store) throw new KmsError('NotFound.KeyStore', 'The default key store is missing from the registry.');
    if (store.initialized) {
      throw new KmsError('AlreadyExists.KeyStore', 'The default key store already has a password; connect it instead.');
    }
    const client = hsm.client(defaultKeyStoreModuleSpec(this.context));
    const slots = await client.listSlots();
    const freeSlot = slots.find((slot) => slot.tokenPresent && slot.token && !slot.token.initialized);
    if (!freeSlot) throw new KmsError('HsmError.DeviceError', 'The embedded SoftHSM2 has no free slot for the default token.');

    request.progress(0.2, 'Initializing the embedded token');
    let soPin = randomBytes(24).toString('hex');
    try {
      const { serial } = await client.initToken({ slotId: freeSlot.slotId, soPin, label: DEFAULT_TOKEN_LABEL });
      const token = tokenHandle(client, serial);
      await token.hsm.initUserPin({ soPin, userPin: input.KeyStorePassword });
      soPin = '';
      request.progress(0.7, 'Logging in');
      await token.hsm.login({ userPin: input.KeyStorePassword });
      this.audit.recordChange(request, { operation: 'InitializeDefaultKeyStore', resourceId: store.id, details: { TokenSerial: serial } }, () => {
        registry.keyStores.update(store.id, { initialized: true, tokenSerial: serial }, isoNow(this.context));
      });
      this.connections.set(store.id, 'CONNECTED', null, [token]);
      return { KeyStoreId: store.id, ConnectionState: 'CONNECTED' };
    } finally {
      soPin = '';
    }
  }

  async connect(input: ParsedInput<'ConnectKeyStore'>, request: RequestContext): Promise<OperationResult<'ConnectKeyStore'>> {
    const store = this.context.registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    const { state } = this.connections.get(store.id);
    if (BUSY_STATES.has(state)) {
      // Before the password: logging in again would not check it (the token is logged in already).
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is ${state}; disconnect it first to log in again.`);
    }
    if (store.type === 'EXTERNAL_KEY_STORE' && this.externalStores) return this.externalStores.connect(store, request);
    if (store.type === 'HSM_CLUSTER' && this.clusterStores) {
      if (!input.KeyStorePassword) throw new KmsError('MissingParameter', 'KeyStorePassword (the kmsuser password) is required to connect.');
      return this.clusterStores.connect(store, input.KeyStorePassword, request);
    }
    if (!store.initialized || !store.tokenSerial) {
      throw new KmsError('Forbidden.KeyStoreState', 'The key store has no password yet; initialize it first.');
    }
    if (!input.KeyStorePassword) throw new KmsError('MissingParameter', 'KeyStorePassword is required to connect.');
    if (store.type !== 'DEFAULT') {
      throw new KmsError('UnsupportedOperation', 'Connecting HSM cluster key stores arrives with the cluster set-up.');
    }

    const token = tokenHandle(this.context.hsm.client(defaultKeyStoreModuleSpec(this.context)), store.tokenSerial);
    const password = input.KeyStorePassword;
    // A refused attempt (back-off) leaves the connection state as it was.
    await this.loginGuard.attempt(keyStoreSubject(store), request, { operation: 'ConnectKeyStore', resourceId: store.id }, async () => {
      this.connections.set(store.id, 'CONNECTING', null);
      try {
        // Logging in is idempotent in the hsm layer: log out first so the password is really checked.
        await token.hsm.logout().catch(() => undefined);
        await token.hsm.login({ userPin: password });
      } catch (error) {
        const code = CONNECTION_ERROR_BY_CODE[errorCodeOf(error) ?? 'InternalFailure'] ?? 'INTERNAL_ERROR';
        this.connections.set(store.id, 'FAILED', code);
        throw error;
      }
    });
    this.connections.set(store.id, 'CONNECTED', null, [token]);
    this.audit.recordEvent(request, { operation: 'ConnectKeyStore', resourceId: store.id });
    return { KeyStoreId: store.id, ConnectionState: 'CONNECTED', ConnectionErrorCode: null };
  }

  async disconnect(input: ParsedInput<'DisconnectKeyStore'>, request: RequestContext): Promise<OperationResult<'DisconnectKeyStore'>> {
    const store = this.context.registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    const tokens = this.connections.tokensOf(store.id);
    if (tokens.length > 0) {
      this.connections.set(store.id, 'DISCONNECTING', null);
      await Promise.allSettled(tokens.map((token) => token.hsm.logout()));
    }
    if (store.type === 'EXTERNAL_KEY_STORE') this.externalStores?.disconnect(store);
    this.connections.set(store.id, 'DISCONNECTED', null);
    this.audit.recordEvent(request, { operation: 'DisconnectKeyStore', resourceId: store.id });
    return { KeyStoreId: store.id, ConnectionState: 'DISCONNECTED' };
  }
}
