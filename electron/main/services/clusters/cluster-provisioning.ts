/**
 * The steps that make a token a cluster member, shared by InitializeCluster (every member at once)
 * and JoinHsm (one member added later): the token initialized under the SO PIN, its RSA transport
 * key pair, the trust between members (each holds the others' transport public keys as trusted
 * wrapping keys), and the domain key cloned into it under its transport key. PINs are passed in for
 * the calls only and never kept.
 */
import { KmsError } from '../../../../shared/errors';
import { bindToken, type HsmToken, type RsaPublicKeyMaterial } from '../../hsm';
import type { Member, ProbedMember } from './cluster-members';
import { DOMAIN_KEY_LABEL, DOMAIN_KEY_OBJECT_ID, memberTokenLabel, transportKeyLabel, transportKeyObjectId } from './cluster-objects';

/** A member whose token is initialized, with the token's calls bound to it. */
export interface ProvisionedMember {
  member: Member;
  token: HsmToken;
  label: string;
}

/**
 * A token that is not initialized yet gets the member label; an initialized one (a network HSM's
 * partition, served under its label) is re-initialized under the same label, which also proves
 * the SO PIN: C_InitToken on an initialized token checks it.
 */
export async function initializeMemberToken(probed: ProbedMember, soPin: string): Promise<ProvisionedMember> {
  const { member, slot } = probed;
  if (!slot?.token) throw new KmsError('HsmError.TokenNotPresent', `HSM ${member.row.id} shows no token.`);
  const reinitialize = slot.token.initialized;
  const label = reinitialize && slot.token.label ? slot.token.label : memberTokenLabel(member.row.id);
  const { serial } = await member.client.initToken({ slotId: slot.slotId, soPin, label, reinitialize });
  return { member, token: bindToken(member.client, serial), label };
}

/** Generates the member's transport key pair; returns the public half the other members will trust. */
export function createTransportKey(target: ProvisionedMember, soPin: string): Promise<RsaPublicKeyMaterial> {
  const hsmId = target.member.row.id;
  return target.token.generateTransportKey({
    soPin,
    objectId: transportKeyObjectId(hsmId),
    label: transportKeyLabel(hsmId),
  });
}

/** Imports member `ofHsmId`'s transport public key into `holder` as a trusted wrapping key. */
export async function trustTransportKey(holder: ProvisionedMember, soPin: string, ofHsmId: string, publicKey: RsaPublicKeyMaterial): Promise<void> {
  await holder.token.importTrustedWrapKey({
    soPin,
    objectId: transportKeyObjectId(ofHsmId),
    label: transportKeyLabel(ofHsmId),
    publicKey,
  });
}

/** Wraps the domain key in `source` under `target`'s transport key and unwraps it inside `target`. */
export async function cloneDomainKey(source: ProvisionedMember, target: ProvisionedMember, soPin: string): Promise<void> {
  const transportId = transportKeyObjectId(target.member.row.id);
  const wrapped = await source.token.wrapKey({
    wrappingObjectId: transportId,
    objectId: DOMAIN_KEY_OBJECT_ID,
    mechanism: 'RSA_OAEP_SHA1',
  });
  await target.token.unwrapDomainKey({
    soPin,
    objectId: DOMAIN_KEY_OBJECT_ID,
    label: DOMAIN_KEY_LABEL,
    unwrappingObjectId: transportId,
    wrapped,
  });
}
