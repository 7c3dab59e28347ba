import { describe, expect, it } from 'vitest';
import type { OperationInput, SecretMetadata } from '../../../../shared/contract';
import { SECRET_PAGE_SIZE, useSecretsStore } from '../../../../renderer/src/stores/secrets';
import { fakeHost, pageOf, stub } from '../support/fake-host';

function listSecrets(count: number) {
  return (input: OperationInput<'ListSecrets'>) => {
    const { rows, ...page } = pageOf(input, count, (index) => stub<SecretMetadata>({ SecretName: `s-${index}` }));
    return { SecretList: rows, ...page };
  };
}

describe('the secrets store', () => {
  it('pages ListSecrets and sends the filters the page holds, starting over from page 1', async () => {
    const host = fakeHost({ ListSecrets: listSecrets(120) });
    const secrets = useSecretsStore();
    await secrets.reload();
    expect(secrets.total).toBe(120);
    await secrets.ensureRange({ first: 100, last: 119 });
    expect(secrets.rowAt(119)?.SecretName).toBe('s-119');

    await secrets.applyFilters({ namePrefix: ' db/ ', states: ['PendingDeletion'], tag: 'team=payments' });
    expect(host.inputsOf('ListSecrets')).toEqual([
      { PageNumber: 1, PageSize: SECRET_PAGE_SIZE, Filters: [] },
      { PageNumber: 2, PageSize: SECRET_PAGE_SIZE, Filters: [] },
      {
        PageNumber: 1,
        PageSize: SECRET_PAGE_SIZE,
        Filters: [
          { Key: 'NamePrefix', Values: ['db/'] },
          { Key: 'SecretState', Values: ['PendingDeletion'] },
          { Key: 'Tag', Values: ['team=payments'] },
        ],
      },
    ]);
  });

  it('passes a new secret and a generated password through without keeping either', async () => {
    const host = fakeHost({
      CreateSecret: (input) => ({ Arn: 'arn:s', SecretName: input.SecretName, VersionId: 'v1' }),
      GetRandomPassword: () => ({ RandomPassword: 'Tr0ub4dor&3' }),
    });
    const secrets = useSecretsStore();
    const request: OperationInput<'CreateSecret'> = { SecretName: 'db/password', SecretData: 'hunter2', VersionId: 'v1', EncryptionKeyId: 'k1' };
    expect(await secrets.create(request)).toMatchObject({ SecretName: 'db/password', VersionId: 'v1' });
    expect(await secrets.randomPassword({ PasswordLength: 12 })).toBe('Tr0ub4dor&3');
    expect(host.operations()).toEqual(['CreateSecret', 'GetRandomPassword']);
    expect(JSON.stringify(secrets.$state)).not.toMatch(/hunter2|Tr0ub4dor/);
  });
});
