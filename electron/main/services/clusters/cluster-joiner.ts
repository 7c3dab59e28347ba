/**
 * JoinHsm: an HSM added to an initialized cluster (CreateHsm leaves it UNINITIALIZED) becomes a
 * member the way InitializeCluster made the first ones: its token is initialized with the SO PIN,
 * its transport key is trusted by every member and theirs by it, the domain key is cloned into it
 * and kmsuser gets the key store password. Then, when the key store is connected, SyncCluster logs
 * it in and copies every key version to it. The SO PIN and the password are checked on the members
 * before the new token is touched (a wrong one changes nothing), used for the calls only, and
 * never kept.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { HsmRow } from '../../registry';
import type { HsmModuleClient, RsaPublicKeyMaterial } from '../../hsm';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyStoreConnections } from '../keystores/connections';
import { clusterSubject, type LoginGuard } from '../keystores/login-guard';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { memberToken, probeCluster, type Member, type ProbedMember } from './cluster-members';
import { transportKeyObjectId } from './cluster-objects';
import { cloneDomainKey, createTransportKey, initializeMemberToken, trustTransportKey, type ProvisionedMember } from './cluster-provisioning';
import { requireCluster } from './cluster-state';
import type { ClusterSync } from './cluster-sync';

const CRYPTO_USER = 'kmsuser';
const STEPS = 6;

interface Peer extends ProvisionedMember {
  transport: RsaPublicKeyMaterial;
}

export class ClusterJoiner {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
    private readonly sync: ClusterSync,
    private readonly loginGuard: LoginGuard,
  ) {}

  async join(input: ParsedInput<'JoinHsm'>, request: RequestContext): Promise<OperationResult<'JoinHsm'>> {
    const row = this.context.registry.hsms.get(input.HsmId);
    if (!row) throw new KmsError('NotFound.Hsm', `HSM ${input.HsmId} does not exist.`);
    const cluster = requireCluster(this.context, row.clusterId);
    if (cluster.state === 'UNINITIALIZED') {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is UNINITIALIZED: InitializeCluster brings all its HSMs in at once.`);
    }
    if (row.state === 'INITIALIZED') throw new KmsError('Forbidden.ClusterState', `HSM ${row.id} is already a member of cluster ${cluster.id}.`);
    if (!this.context.registry.cryptoUsers.get(cluster.id, CRYPTO_USER)) {
      throw new KmsError('NotFound.CryptoUser', `Cluster ${cluster.id} has no crypto user ${CRYPTO_USER}; create it before adding HSMs, so the new one gets the same password.`);
    }
    const { joining, members } = await this.probe(cluster.id, row);

    let soPin = input.SoPin;
    const admin = new AdminClients(this.context);
    try {
      request.progress(0, 'Checking the SO PIN and the kmsuser password on the members');
      const peers = await this.loginGuard.attempt(clusterSubject(this.context.registry, cluster.id), request, { operation: 'JoinHsm', resourceId: row.id }, () =>
        this.readPeers(members.map((probe) => admin.member(probe.member)), row.id, soPin, input.KeyStorePassword),
      );
      const [source] = peers;
      if (!source) throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} has no initialized member to join.`);

      request.progress(1 / STEPS, `Initializing the token of ${row.id}`);
      const joined = await initializeMemberToken(joining, soPin);
      // Remember the serial at once: a retry must find this token again (SoftHSM moves it to a new slot).
      this.audit.recordChange(
        request,
        { operation: 'JoinHsm', resourceId: row.id, details: { Step: 'TokenInitialized', ClusterId: cluster.id } },
        () => this.context.registry.hsms.update(row.id, { tokenSerial: joined.token.serial, label: joined.label }, isoNow(this.context)),
      );

      request.progress(2 / STEPS, 'Exchanging transport keys with the members');
      const transport = await createTransportKey(joined, soPin);
      for (const peer of peers) {
        await trustTransportKey(peer, soPin, row.id, transport);
        await trustTransportKey(joined, soPin, peer.member.row.id, peer.transport);
      }

      request.progress(3 / STEPS, 'Cloning the domain key');
      await cloneDomainKey(source, joined, soPin);

      request.progress(4 / STEPS, `Creating ${CRYPTO_USER}`);
      await joined.token.initUserPin({ soPin, userPin: input.KeyStorePassword });
      soPin = '';

      const now = isoNow(this.context);
      this.audit.recordChange(
        request,
        { operation: 'JoinHsm', resourceId: row.id, details: { ClusterId: cluster.id, Zone: row.zone } },
        () => this.context.registry.hsms.update(row.id, { tokenSerial: joined.token.serial, label: joined.label, state: 'INITIALIZED' }, now),
      );
      request.progress(5 / STEPS, 'Copying the key versions to the new member');
      const replication = await this.synchronize(cluster.id, row.id, input.KeyStorePassword, request);
      return { HsmId: row.id, ClusterId: cluster.id, State: 'INITIALIZED', Synchronized: replication !== null, Replication: replication };
    } finally {
      soPin = '';
      await admin.close();
    }
  }

  /** Every member must answer: the new member's trust has to reach all of them. */
  private async probe(clusterId: string, row: HsmRow): Promise<{ joining: ProbedMember; members: ProbedMember[] }> {
    const probes = await probeCluster(this.context, clusterId);
    const joining = probes.find((probe) => probe.member.row.id === row.id);
    if (!joining || joining.health === 'UNREACHABLE' || joining.health === 'TOKEN_NOT_PRESENT') {
      throw new KmsError('HsmError.TokenNotPresent', `HSM ${row.id} does not answer (${joining?.health ?? 'UNREACHABLE'}); nothing was changed.`);
    }
    const members = probes.filter((probe) => probe.member.row.state === 'INITIALIZED');
    const down = members.filter((probe) => probe.health !== 'HEALTHY');
    if (down.length > 0) {
      throw new KmsError(
        'HsmError.DeviceError',
        `Every member must answer for HSM ${row.id} to join: ${down.map((probe) => `${probe.member.row.id} is ${probe.health}`).join(', ')}; nothing was changed.`,
      );
    }
    return { joining, members };
  }

  /**
   * Proves the SO PIN and the kmsuser password on every member (through its admin client) and
   * reads each member's transport public key, a user-login read; the login ends before the SO work.
   */
  private async readPeers(members: Member[], joiningId: string, soPin: string, password: string): Promise<Peer[]> {
    const peers: Peer[] = [];
    for (const member of members) {
      const token = memberToken(member);
      await token.checkSoPin({ soPin });
      await token.login({ userPin: password });
      try {
        const transport = await token.getPublicKey({ objectId: transportKeyObjectId(member.row.id) });
        if (transport.kind !== 'RSA') throw new KmsError('HsmError.Generic', `The transport key of HSM ${member.row.id} is not an RSA key.`);
        // A trusted key left by an earlier attempt that failed later would block the import.
        await token.destroyKey({ objectId: transportKeyObjectId(joiningId) });
        peers.push({ member, token, label: member.row.label, transport });
      } finally {
        await token.logout();
      }
    }
    return peers;
  }

  /** With the key store connected, SyncCluster logs the new member in and copies every key version to it. */
  private async synchronize(clusterId: string, hsmId: string, password: string, request: RequestContext) {
    const store = this.context.registry.keyStores.getByClusterId(clusterId);
    if (!store || this.connections.get(store.id).state !== 'CONNECTED') return null;
    const result = await this.sync.sync({ ClusterId: clusterId, KeyStorePassword: password }, request);
    return result.Members.find((member) => member.HsmId === hsmId) ?? null;
  }
}

/**
 * One dedicated client per module for the members' side of the join: the shared client keeps the
 * members logged in as kmsuser for the connected key store, which rules out an SO login there.
 */
class AdminClients {
  private readonly clients = new Map<string, HsmModuleClient>();

  constructor(private readonly context: ServiceContext) {}

  member(member: Member): Member {
    let client = this.clients.get(member.row.moduleId);
    if (!client) {
      client = this.context.hsm.dedicatedClient(member.client.spec);
      this.clients.set(member.row.moduleId, client);
    }
    return { ...member, client };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((client) => client.close()));
  }
}
