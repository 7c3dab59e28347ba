import { describe, expect, it } from 'vitest';
import { KEY_SPECS } from '../../../shared/contract';
import { aesLimitation, keySpecChoices } from '../../../renderer/src/lib/cluster-key-specs';

const local = { NetworkHsm: false, SupportsAesGcm: true };
const network = { NetworkHsm: true, SupportsAesGcm: false };

describe('key specs a cluster key store can hold', () => {
  it('offers every spec in the default key store and in a local cluster', () => {
    expect(keySpecChoices().every((choice) => !choice.disabled)).toBe(true);
    expect(keySpecChoices([local, local]).every((choice) => !choice.disabled)).toBe(true);
  });

  it('refuses asymmetric specs, and only those, once one member is a network HSM', () => {
    const refused = keySpecChoices([local, network]).filter((choice) => choice.disabled).map((choice) => choice.value);
    expect(refused).toEqual(['RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_P256', 'EC_P256K', 'EC_ED25519']);
    expect(keySpecChoices([local, network]).find((choice) => choice.value === 'RSA_2048')?.label).toContain('network HSMs');
  });

  it('offers only the specs DescribeKeyStoreCapabilities reports, once it has answered', () => {
    const withoutEd25519 = KEY_SPECS.filter((spec) => spec !== 'EC_ED25519');
    const ed25519 = keySpecChoices([], withoutEd25519).find((choice) => choice.value === 'EC_ED25519');
    expect(ed25519).toMatchObject({ disabled: true });
    expect(ed25519?.label).toContain("not supported by this key store's HSMs");
    expect(keySpecChoices([], withoutEd25519).filter((choice) => choice.disabled)).toHaveLength(1);
    expect(keySpecChoices([], KEY_SPECS).every((choice) => !choice.disabled)).toBe(true);
  });

  it('says AES keys cannot Encrypt when no member has AES-GCM', () => {
    expect(aesLimitation('Aliyun_AES_256', [network, network])).toContain('Encrypt');
    expect(aesLimitation('Aliyun_AES_256', [local, network])).toBeNull();
    expect(aesLimitation('HMAC_SHA256', [network])).toBeNull();
    expect(aesLimitation('Aliyun_AES_256')).toBeNull();
  });
});
