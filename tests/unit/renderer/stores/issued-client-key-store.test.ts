import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { useIssuedClientKeyStore } from '../../../../renderer/src/stores/issued-client-key';
import { fakeHost, stub } from '../support/fake-host';

type Issued = OperationResult<'CreateClientKey'>;

describe('the issued client key store', () => {
  it('holds the key just issued (not its RequestId, not the password) until forgotten', async () => {
    const host = fakeHost({ CreateClientKey: (input) => stub<Issued>({ ClientKeyId: `ck-${input.AapName}`, PrivateKeyData: 'UEtDUzEy' }) });
    const store = useIssuedClientKeyStore();
    const issued = await store.issue('payments', 'p4ssw0rd!', { NotAfter: '2027-01-01T00:00:00Z' });
    expect(issued).toEqual({ ClientKeyId: 'ck-payments', PrivateKeyData: 'UEtDUzEy' });
    expect(store.issued).toEqual(issued);
    expect(store.aapName).toBe('payments');
    expect(host.inputsOf('CreateClientKey')).toEqual([{ NotAfter: '2027-01-01T00:00:00Z', AapName: 'payments', Password: 'p4ssw0rd!' }]);
    expect(JSON.stringify(store.$state)).not.toContain('p4ssw0rd!');

    store.forget();
    expect(store.issued).toBeNull();
    expect(store.aapName).toBe('');
  });

  it('drops the previous key before issuing another, so a failed issue shows none', async () => {
    let fail = false;
    fakeHost({
      CreateClientKey: (input) => {
        if (fail) throw new Error('access point gone');
        return stub<Issued>({ ClientKeyId: `ck-${input.AapName}` });
      },
    });
    const store = useIssuedClientKeyStore();
    await store.issue('first', 'p4ssw0rd!');
    fail = true;
    await expect(store.issue('second', 'p4ssw0rd!')).rejects.toThrow('access point gone');
    expect(store.issued).toBeNull();
    expect(store.aapName).toBe('');
  });
});
