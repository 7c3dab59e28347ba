import { KEY_SPECS, type KeySpec } from '../../../shared/contract';
import { t } from '../i18n';
import '../i18n/areas/keys';
import { isAsymmetricSpec, isSymmetricSpec } from './key-options';

/** The member facts of DescribeCluster that decide which keys its key store can hold and use. */
export interface MemberCapabilities {
  NetworkHsm: boolean;
  SupportsAesGcm: boolean;
}

/** A type, not an interface: Naive UI's option type needs the implicit index signature. */
export type SpecChoice = {
  label: string;
  value: KeySpec;
  disabled: boolean;
};

/**
 * Key specs for a key store on these members (none: the default key store). Asymmetric keys cannot
 * be replicated to a network (p11-kit) member, so the host refuses them in such a cluster.
 * `supported` is what DescribeKeyStoreCapabilities reports for the store (null: not known yet);
 * a spec outside it (EC_ED25519 where a token lacks the Edwards mechanisms) is not offered.
 */
export function keySpecChoices(members: readonly MemberCapabilities[] = [], supported: readonly KeySpec[] | null = null): SpecChoice[] {
  const network = members.some((member) => member.NetworkHsm);
  return KEY_SPECS.map((value) => {
    if (network && isAsymmetricSpec(value)) return { label: t('keys.specFields.networkHsm', { spec: value }), value, disabled: true };
    if (supported && !supported.includes(value)) return { label: t('keys.specFields.unsupported', { spec: value }), value, disabled: true };
    return { label: value, value, disabled: false };
  });
}

/**
 * Why an AES key of this spec would be of limited use on these members, or null. p11-kit forwards no
 * AES-GCM: Encrypt, Decrypt and GenerateDataKey need a member that has it.
 */
export function aesLimitation(spec: KeySpec, members: readonly MemberCapabilities[] = []): string | null {
  if (!isSymmetricSpec(spec) || members.length === 0 || members.some((member) => member.SupportsAesGcm)) return null;
  return t('keys.specFields.aesLimitation');
}
