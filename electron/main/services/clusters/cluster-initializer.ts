/**
 * InitializeCluster: every member token is initialized with the SO PIN; the first member generates
 * the cluster owner key pair (which signs the self-signed ClusterOwnerCertificate) and the AES-256
 * domain key (CKA_TRUSTED); every member generates an RSA transport key pair whose public half is
 * imported, trusted, into every other member; the domain key then travels to each member wrapped
 * under that member's transport key (RSA-OAEP SHA-1, which p11-kit 0.24 forwards) and is unwrapped
 * inside it. The SO PIN is used for the calls only and never kept.
 */
import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { RsaPublicKeyMaterial } from '../../hsm';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import { isoNow, type ServiceContext } from '../service-context';
import { probeCluster } from './cluster-members';
import { DOMAIN_KEY_LABEL, DOMAIN_KEY_OBJECT_ID, OWNER_KEY_LABEL, OWNER_KEY_OBJECT_ID } from './cluster-objects';
import { cloneDomainKey, createTransportKey, initializeMemberToken, trustTransportKey, type ProvisionedMember } from './cluster-provisioning';
import { requireCluster } from './cluster-state';
import { createOwnerCertificate } from './owner-certificate';

export class ClusterInitializer {
  constructor(
    private readonly context: ServiceContext,
    private readonly audit: AuditTrail,
  ) {}

  async initialize(input: ParsedInput<'InitializeCluster'>, request: RequestContext): Promise<OperationResult<'InitializeCluster'>> {
    const cluster = requireCluster(this.context, input.ClusterId);
    if (cluster.state !== 'UNINITIALIZED') {
      throw new KmsError('Forbidden.ClusterState', `Cluster ${cluster.id} is already ${cluster.state}.`);
    }
    const probes = await probeCluster(this.context, cluster.id);
    if (probes.length === 0) throw new KmsError('InsufficientHsms', `Cluster ${cluster.id} has no HSM; add one with CreateHsm.`);
    const missing = probes.filter((probe) => probe.health === 'UNREACHABLE' || probe.health === 'TOKEN_NOT_PRESENT');
    if (missing.length > 0) {
      throw new KmsError('HsmError.DeviceError', `These HSMs do not answer, so the cluster cannot be initialized: ${missing.map((probe) => probe.member.row.id).join(', ')}.`);
    }

    let soPin = input.SoPin;
    try {
      const members: ProvisionedMember[] = [];
      for (const [index, probed] of probes.entries()) {
        request.progress(index / (probes.length + 3), `Initializing the token of ${probed.member.row.id}`);
        const initialized = await initializeMemberToken(probed, soPin);
        members.push(initialized);
        // Remember the serial at once: a retry after a later failure must find this token again
        // (SoftHSM moves an initialized token to a new slot id).
        this.audit.recordChange(
          request,
          { operation: 'InitializeCluster', resourceId: probed.member.row.id, details: { Step: 'TokenInitialized', ClusterId: cluster.id } },
          () => this.context.registry.hsms.update(probed.member.row.id, { tokenSerial: initialized.token.serial, label: initialized.label }, isoNow(this.context)),
        );
      }
      const [owner, ...others] = members;
      if (!owner) throw new KmsError('InsufficientHsms', `Cluster ${cluster.id} has no HSM.`);

      request.progress(members.length / (members.length + 3), 'Creating the cluster owner key and certificate');
      const publicKey = await owner.token.generateOwnerKey({ soPin, objectId: OWNER_KEY_OBJECT_ID, label: OWNER_KEY_LABEL });
      const certificate = await createOwnerCertificate({
        clusterId: cluster.id,
        clusterName: cluster.name,
        publicKey,
        now: this.context.now(),
        signDigest: async (digest) => (await owner.token.ownerSign({ objectId: OWNER_KEY_OBJECT_ID, digest })).signature,
      });

      request.progress((members.length + 1) / (members.length + 3), 'Creating the domain key and the transport keys');
      await owner.token.generateDomainKey({ soPin, objectId: DOMAIN_KEY_OBJECT_ID, label: DOMAIN_KEY_LABEL });
      const transports = new Map<string, RsaPublicKeyMaterial>();
      for (const member of members) transports.set(member.member.row.id, await createTransportKey(member, soPin));
      for (const member of members) {
        for (const [hsmId, transport] of transports) {
          if (hsmId !== member.member.row.id) await trustTransportKey(member, soPin, hsmId, transport);
        }
      }

      request.progress((members.length + 2) / (members.length + 3), 'Cloning the domain key to every member');
      for (const member of others) await cloneDomainKey(owner, member, soPin);
      soPin = '';

      const now = isoNow(this.context);
      this.audit.recordChange(
        request,
        { operation: 'InitializeCluster', resourceId: cluster.id, details: { HsmCount: members.length, OwnerHsmId: owner.member.row.id } },
        () => {
          for (const member of members) {
            this.context.registry.hsms.update(member.member.row.id, { tokenSerial: member.token.serial, label: member.label, state: 'INITIALIZED' }, now);
          }
          this.context.registry.clusters.update(cluster.id, { state: 'INITIALIZED', ownerCertificatePem: certificate }, now);
        },
      );
      return { ClusterId: cluster.id, State: 'INITIALIZED', ClusterOwnerCertificate: certificate };
    } finally {
      soPin = '';
    }
  }
}
