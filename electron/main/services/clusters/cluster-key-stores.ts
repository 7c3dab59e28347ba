/**
 * Private key stores bound to an HSM cluster: creation (the trust anchor is checked against the
 * owner key inside the HSM), connection (kmsuser logs in on every member that answers), and the
 * renaming and deletion every key store shares. Connection state machine:
 * DISCONNECTED → CONNECTING → CONNECTED | FAILED(ConnectionErrorCode); a CONNECTED store loses
 * members one by one (cluster DEGRADED) and FAILS with NETWORK_ERRORS when none is left.
 */
import type { ConnectionErrorCode, OperationResult, ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { RegistryConstraintError, type KeyStoreRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { bindToken } from '../../hsm';
import { tokenHandle, type KeyStoreConnections, type TokenHandle } from '../keystores/connections';
import { clusterSubject, keyStoreSubject, type LoginGuard } from '../keystores/login-guard';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { memberOf, probeJoinedMembers, tokenMemberOf, type ProbedMember } from './cluster-members';
import { isActivated, recordHealth, redundancyProblem, requireCluster } from './cluster-state';
import { parseCertificate, trustAnchorMatches } from './trust-anchor';
import { newKeyStoreRow } from '../keystores/new-key-store-row';

const CRYPTO_USER = 'kmsuser';

/** Which ConnectionErrorCode a failed login reports. */
function connectionErrorOf(error: unknown): ConnectionErrorCode {
  const code = errorCodeOf(error) ?? '';
  if (code === 'HsmError.PinIncorrect' || code === 'HsmError.PinInvalid') return 'INVALID_CREDENTIALS';
  if (code === 'HsmError.PinLocked') return 'USER_LOCKED_OUT';
  if (code.startsWith('HsmError.Device') || code === 'HsmError.TokenNotPresent' || code === 'HsmError.WorkerCrashed') return 'NETWORK_ERRORS';
  return 'INTERNAL_ERROR';
}

/** CreateKeyStore's fields for KeyStoreType HSM_CLUSTER (the contract requires them for that type). */
export interface ClusterKeyStoreInput {
  KeyStoreName: string;
  ClusterId: string;
  KeyStorePassword: string;
  TrustAnchorCertificate: string;
}

/** The HSM_CLUSTER fields of a CreateKeyStore input, which the contract's refinement has required. */
export function clusterKeyStoreInput(input: ParsedInput<'CreateKeyStore'>): ClusterKeyStoreInput {
  const { KeyStoreName, ClusterId, KeyStorePassword, TrustAnchorCertificate } = input;
  if (ClusterId === undefined || KeyStorePassword === undefined || TrustAnchorCertificate === undefined) {
    throw new KmsError('MissingParameter', 'KeyStoreType HSM_CLUSTER needs ClusterId, KeyStorePassword and TrustAnchorCertificate.');
  }
  return { KeyStoreName, ClusterId, KeyStorePassword, TrustAnchorCertificate };
}

/** UpdateKeyStore's XKS proxy settings (services/external). */
export interface ExternalStoreSettings {
  update(store: KeyStoreRow, input: ParsedInput<'UpdateKeyStore'>, request: RequestContext): Promise<void>;
}

/** Raised inside connect: the store goes FAILED with `connectionError`, the caller gets `error`. */
class ConnectFailure extends Error {
  constructor(
    readonly connectionError: ConnectionErrorCode,
    readonly error: KmsError,
  ) {
    super(error.message);
  }
}

export class ClusterKeyStoreService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
    private readonly loginGuard: LoginGuard,
    private readonly externalStores: ExternalStoreSettings,
  ) {}

  async create(input: ClusterKeyStoreInput, request: RequestContext): Promise<OperationResult<'CreateKeyStore'>> {
    const { registry } = this.context;
    const cluster = requireCluster(this.context, input.ClusterId);
    if (!isActivated(cluster.state)) {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is ${cluster.state}; activate it before creating its key store.`);
    }
    const bound = registry.keyStores.getByClusterId(cluster.id);
    if (bound) throw new KmsError('AlreadyExists.KeyStore', `Cluster ${cluster.id} is already bound to key store ${bound.id}.`);
    if (!registry.cryptoUsers.get(cluster.id, CRYPTO_USER)) {
      throw new KmsError('NotFound.CryptoUser', `Cluster ${cluster.id} has no crypto user ${CRYPTO_USER}; create it first.`);
    }
    await parseCertificate(input.TrustAnchorCertificate);
    const owner = this.ownerMember(cluster.id);
    if (!(await trustAnchorMatches(owner, input.TrustAnchorCertificate))) {
      throw new KmsError('TrustAnchorMismatch', `The trust anchor is not the ClusterOwnerCertificate of cluster ${cluster.id}: the owner key in HSM ${owner.row.id} does not match it.`);
    }
    await this.loginGuard.attempt(clusterSubject(this.context.registry, cluster.id), request, { operation: 'CreateKeyStore', resourceId: cluster.id }, () =>
      this.checkPassword(owner.row.id, cluster.id, input.KeyStorePassword),
    );

    const now = isoNow(this.context);
    const row = newKeyStoreRow({ name: input.KeyStoreName, type: 'HSM_CLUSTER', protectionLevel: 'HSM', clusterId: cluster.id }, now);
    try {
      this.audit.recordChange(request, { operation: 'CreateKeyStore', resourceId: row.id, details: { ClusterId: cluster.id, KeyStoreName: row.name } }, () =>
        registry.keyStores.insert(row),
      );
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.KeyStore', `A key store named ${input.KeyStoreName} exists, or cluster ${cluster.id} is already bound.`);
      }
      throw error;
    }
    return { KeyStoreId: row.id };
  }

  /** ConnectKeyStore for a cluster store; the store ends CONNECTED or FAILED with its error code. */
  async connect(store: KeyStoreRow, password: string, request: RequestContext): Promise<OperationResult<'ConnectKeyStore'>> {
    // Locked or backing off: refused before the state changes (the attempt itself checks again).
    this.loginGuard.refuseIfBarred(keyStoreSubject(store));
    this.connections.set(store.id, 'CONNECTING', null);
    try {
      const { tokens, probes } = await this.logInMembers(store, password, request);
      this.connections.set(store.id, 'CONNECTED', null, tokens, probes.map(tokenMemberOf));
      recordHealth(this.context, this.audit, request, 'ConnectKeyStore', store.clusterId ?? '', tokens.length < probes.length);
    } catch (error) {
      const failure = error instanceof ConnectFailure ? error : new ConnectFailure('INTERNAL_ERROR', asKmsError(error));
      this.connections.set(store.id, 'FAILED', failure.connectionError);
      throw failure.error;
    }
    this.audit.recordEvent(request, { operation: 'ConnectKeyStore', resourceId: store.id });
    return { KeyStoreId: store.id, ConnectionState: 'CONNECTED', ConnectionErrorCode: null };
  }

  async update(input: ParsedInput<'UpdateKeyStore'>, request: RequestContext): Promise<OperationResult<'UpdateKeyStore'>> {
    const store = this.context.registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    const proxySettings = input.XksProxyUriEndpoint ?? input.XksProxyUriPath ?? input.XksProxyAuthenticationCredential ?? input.XksProxyCaCertificate;
    if (input.NewKeyStoreName === undefined && input.DefaultForHsmKeys === undefined && proxySettings === undefined) {
      throw new KmsError('MissingParameter', 'UpdateKeyStore needs NewKeyStoreName, DefaultForHsmKeys or XKS proxy settings.');
    }
    if (proxySettings !== undefined && store.type !== 'EXTERNAL_KEY_STORE') {
      throw new KmsError('UnsupportedOperation', `Key store ${store.id} is ${store.type}; XKS proxy settings belong to external key stores.`);
    }
    if (input.DefaultForHsmKeys === true && (store.protectionLevel !== 'HSM' || store.type === 'EXTERNAL_KEY_STORE')) {
      throw new KmsError('UnsupportedOperation', `Key store ${store.id} is ${store.type} with ${store.protectionLevel} protection; only an HSM-protected store of Keyward's own HSMs can be the default for HSM keys.`);
    }
    if (proxySettings !== undefined) await this.externalStores.update(store, input, request);
    if (input.NewKeyStoreName === undefined && input.DefaultForHsmKeys === undefined) return { KeyStoreId: store.id };
    const details = {
      ...(input.NewKeyStoreName !== undefined ? { KeyStoreName: input.NewKeyStoreName } : {}),
      ...(input.DefaultForHsmKeys !== undefined ? { DefaultForHsmKeys: input.DefaultForHsmKeys } : {}),
    };
    try {
      this.audit.recordChange(request, { operation: 'UpdateKeyStore', resourceId: store.id, details }, () => {
        const now = isoNow(this.context);
        if (input.NewKeyStoreName !== undefined) this.context.registry.keyStores.update(store.id, { name: input.NewKeyStoreName }, now);
        if (input.DefaultForHsmKeys !== undefined) this.context.registry.keyStores.setDefaultForHsmKeys(store.id, input.DefaultForHsmKeys, now);
      });
    } catch (error) {
      if (error instanceof RegistryConstraintError && error.kind === 'unique') {
        throw new KmsError('AlreadyExists.KeyStore', `A key store named ${input.NewKeyStoreName} already exists.`);
      }
      throw error;
    }
    return { KeyStoreId: store.id };
  }

  delete(input: ParsedInput<'DeleteKeyStore'>, request: RequestContext): OperationResult<'DeleteKeyStore'> {
    const { registry } = this.context;
    const store = registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    if (store.type === 'DEFAULT') throw new KmsError('Forbidden.KeyStoreState', 'The default key store cannot be deleted.');
    const { state } = this.connections.get(store.id);
    if (state === 'CONNECTED' || state === 'CONNECTING') {
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is ${state}; disconnect it first.`);
    }
    const keys = registry.keyStores.countKeys(store.id);
    if (keys > 0) throw new KmsError('Forbidden.KeyStoreNotEmpty', `Key store ${store.id} still holds ${keys} key(s).`);
    if (this.loginGuard.status(keyStoreSubject(store)).lockedOut) {
      // Without the store, UnlockKeyStore could not name the lockout, and it would outlive the store on the cluster.
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${store.id} is locked after failed logins; clear it with UnlockKeyStore first.`);
    }
    this.audit.recordChange(request, { operation: 'DeleteKeyStore', resourceId: store.id, details: { ClusterId: store.clusterId ?? '' } }, () =>
      registry.keyStores.delete(store.id),
    );
    this.connections.set(store.id, 'DISCONNECTED', null);
    return { KeyStoreId: store.id };
  }

  /** Logs kmsuser in on every reachable member; members that answer but refuse the password fail it all. */
  private async logInMembers(store: KeyStoreRow, password: string, request: RequestContext): Promise<{ tokens: TokenHandle[]; probes: ProbedMember[] }> {
    const cluster = this.context.registry.clusters.get(store.clusterId ?? '');
    if (!cluster) throw new ConnectFailure('CLUSTER_NOT_FOUND', new KmsError('NotFound.Cluster', `The cluster of key store ${store.id} no longer exists.`));
    if (!isActivated(cluster.state)) {
      throw new ConnectFailure('CLUSTER_NOT_ACTIVE', new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is ${cluster.state}, not ACTIVE.`));
    }
    const redundancy = redundancyProblem(this.context, cluster);
    if (redundancy) throw new ConnectFailure('INSUFFICIENT_HSMS', new KmsError('InsufficientHsms', redundancy));
    if (!this.context.registry.cryptoUsers.get(cluster.id, CRYPTO_USER)) {
      throw new ConnectFailure('USER_NOT_FOUND', new KmsError('NotFound.CryptoUser', `Cluster ${cluster.id} has no crypto user ${CRYPTO_USER}.`));
    }
    const probes = await probeJoinedMembers(this.context, cluster.id);
    const reachable = probes.filter((probe) => probe.health === 'HEALTHY');
    if (reachable.length === 0) {
      throw new ConnectFailure('NETWORK_ERRORS', new KmsError('HsmError.DeviceError', `No HSM of cluster ${cluster.id} answers.`));
    }
    const tokens = await this.loginGuard
      .attempt(keyStoreSubject(store), request, { operation: 'ConnectKeyStore', resourceId: store.id }, () => this.logInEach(cluster.id, reachable, password))
      .catch((error: unknown) => {
        throw new ConnectFailure(connectionErrorOf(error), asKmsError(error));
      });
    await this.verifyTrustAnchor(cluster.id, cluster.ownerCertificatePem, probes, tokens);
    return { tokens, probes };
  }

  /** The password goes to each member in turn; the first refusal logs the others out again and is the answer. */
  private async logInEach(clusterId: string, reachable: ProbedMember[], password: string): Promise<TokenHandle[]> {
    const tokens: TokenHandle[] = [];
    for (const probe of reachable) {
      const token = tokenHandle(probe.member.client, probe.member.row.tokenSerial ?? '', { member: tokenMemberOf(probe) });
      try {
        // Logging in is idempotent in the hsm layer: log out first so the password is really checked.
        await token.hsm.logout().catch(() => undefined);
        await token.hsm.login({ userPin: password });
        tokens.push(withWorker(token));
      } catch (error) {
        if (connectionErrorOf(error) === 'NETWORK_ERRORS') continue; // it went away between probe and login
        await Promise.allSettled(tokens.map((done) => done.hsm.logout()));
        throw error;
      }
    }
    // No member judged the password: not an accepted login (the guard takes the attempt back).
    if (tokens.length === 0) throw new KmsError('HsmError.DeviceError', `No HSM of cluster ${clusterId} answers.`);
    return tokens;
  }

  /** UnlockKeyStore: an SO login on the first member that answers, through a worker of its own (the shared one may hold the kmsuser login). */
  async checkSoPin(store: KeyStoreRow, soPin: string): Promise<void> {
    const clusterId = store.clusterId ?? '';
    const probes = await probeJoinedMembers(this.context, clusterId);
    const member = probes.find((probe) => probe.health === 'HEALTHY')?.member;
    if (!member?.row.tokenSerial) throw new KmsError('HsmError.DeviceError', `No HSM of cluster ${clusterId} answers; the SO PIN was not checked.`);
    const admin = this.context.hsm.dedicatedClient(member.client.spec);
    try {
      await bindToken(admin, member.row.tokenSerial).checkSoPin({ soPin });
    } finally {
      await admin.close();
    }
  }

  /** The owner key must still be the one the cluster certificate names (a swapped HSM would not be). */
  private async verifyTrustAnchor(clusterId: string, pem: string | null, probes: ProbedMember[], tokens: TokenHandle[]): Promise<void> {
    const owner = probes.find((probe) => probe.member.row.position === 0) ?? probes[0];
    if (!pem || !owner) throw new ConnectFailure('INTERNAL_ERROR', new KmsError('Forbidden.ClusterState', `Cluster ${clusterId} has no owner certificate.`));
    if (owner.health !== 'HEALTHY') return; // checked again on the next connect; the other members carry on
    let matches: boolean;
    try {
      matches = await trustAnchorMatches(owner.member, pem);
    } catch (error) {
      if (connectionErrorOf(error) === 'NETWORK_ERRORS') return;
      matches = false;
    }
    if (!matches) {
      await Promise.allSettled(tokens.map((token) => token.hsm.logout()));
      throw new ConnectFailure(
        'TRUST_ANCHOR_MISMATCH',
        new KmsError('TrustAnchorMismatch', `The owner key in HSM ${owner.member.row.id} does not match the ClusterOwnerCertificate of cluster ${clusterId}.`),
      );
    }
  }

  private ownerMember(clusterId: string) {
    const [first] = this.context.registry.hsms.listByCluster(clusterId);
    if (!first) throw new KmsError('InsufficientHsms', `Cluster ${clusterId} has no HSM.`);
    return memberOf(this.context, first);
  }

  /** The password is checked on the owner member: log in, then out again (the store is not connected yet). */
  private async checkPassword(hsmId: string, clusterId: string, password: string): Promise<void> {
    const row = this.context.registry.hsms.get(hsmId);
    if (!row?.tokenSerial) throw new KmsError('Forbidden.ClusterState', `Cluster ${clusterId} is not initialized.`);
    const member = memberOf(this.context, row);
    const owner = bindToken(member.client, row.tokenSerial);
    await owner.login({ userPin: password });
    await owner.logout();
  }
}

/** Records which worker holds the login (see KeyStoreConnections.markClientLost). */
export function withWorker(token: TokenHandle): TokenHandle {
  const pid = token.client.workerPid;
  return pid === undefined ? token : { ...token, workerPid: pid };
}

function asKmsError(error: unknown): KmsError {
  return error instanceof KmsError ? error : new KmsError('InternalFailure', 'Connecting the key store failed unexpectedly.');
}
