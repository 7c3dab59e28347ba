import { describe, expect, it } from 'vitest';
import { clusterOperations } from '../../../shared/contract';
import { canCreateKeyStore, keyStoreDraftProblems, keyStoreDraftReady, suggestedKeyStoreName } from '../../../renderer/src/lib/keystore-form';

const PEM = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n-----END CERTIFICATE-----`;
const input = clusterOperations.CreateKeyStore.input;

describe('the key store form judges what the officer typed as CreateKeyStore does', () => {
  it('names: a problem exactly where the contract refuses', () => {
    for (const name of ['vault-store-1', 'a b.c_d', 'x'.repeat(64), 'x'.repeat(65), 'a/b', 'ü', 'store!']) {
      expect(keyStoreDraftProblems({ name, trustAnchor: '' }).name === '', name).toBe(input.shape.KeyStoreName.safeParse(name).success);
    }
    expect(keyStoreDraftProblems({ name: 'a/b', trustAnchor: '' }).name).toMatch(/^The name must be letters/);
  });

  it('trust anchors must be PEM certificates', () => {
    expect(keyStoreDraftProblems({ name: '', trustAnchor: PEM }).trustAnchor).toBe('');
    expect(keyStoreDraftProblems({ name: '', trustAnchor: 'not a certificate' }).trustAnchor).toMatch(/^The trust anchor /);
  });

  it('empty fields are not problems yet, only not ready', () => {
    expect(keyStoreDraftProblems({ name: '', trustAnchor: '' })).toEqual({ name: '', trustAnchor: '' });
    expect(keyStoreDraftReady({ name: '', trustAnchor: PEM, password: 'pw' })).toBe(false);
    expect(keyStoreDraftReady({ name: 's', trustAnchor: PEM, password: '' })).toBe(false);
    expect(keyStoreDraftReady({ name: 's', trustAnchor: PEM, password: 'x'.repeat(65) })).toBe(false);
  });

  it('ready exactly when the contract accepts the whole input', () => {
    const drafts = [
      { name: 'vault-store-1', trustAnchor: PEM, password: 'Kmsuser2024vault' },
      { name: 'bad/name', trustAnchor: PEM, password: 'pw' },
      { name: 'ok', trustAnchor: '-----BEGIN CERTIFICATE-----', password: 'pw' },
    ];
    for (const draft of drafts) {
      const parsed = input.safeParse({ KeyStoreName: draft.name, ClusterId: 'c', KeyStorePassword: draft.password, TrustAnchorCertificate: draft.trustAnchor });
      expect(keyStoreDraftReady(draft), draft.name).toBe(parsed.success);
    }
  });

  it('suggests a name the contract accepts from any cluster name', () => {
    for (const cluster of ['vault-cluster-1', 'Zürich/HSM', 'x'.repeat(80)]) {
      const name = suggestedKeyStoreName(cluster);
      expect(input.shape.KeyStoreName.safeParse(name).success, name).toBe(true);
    }
    expect(suggestedKeyStoreName('vault-cluster-1')).toBe('vault-cluster-1-store');
  });
});

describe('"Create key store" is offered for activated clusters without a key store only', () => {
  it.each([
    ['ACTIVE', null, true],
    ['DEGRADED', null, true],
    ['ACTIVE', 'ks-1', false],
    ['INITIALIZED', null, false],
    ['UNINITIALIZED', null, false],
  ] as const)('%s with key store %s → %s', (State, KeyStoreId, offered) => {
    expect(canCreateKeyStore({ State, KeyStoreId })).toBe(offered);
  });
});
