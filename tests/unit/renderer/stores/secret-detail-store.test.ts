import { describe, expect, it } from 'vitest';
import type { OperationResult, SecretVersionEntry } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useSecretDetailStore } from '../../../../renderer/src/stores/secret-detail';
import { fakeHost, stub } from '../support/fake-host';

function secretHost(names: string[]) {
  return fakeHost({
    DescribeSecret: (input) => {
      if (!names.includes(input.SecretName)) throw new KmsClientError('NotFound.Secret', `no secret ${input.SecretName}`);
      return stub<OperationResult<'DescribeSecret'>>({ SecretName: input.SecretName, Description: `about ${input.SecretName}` });
    },
    ListSecretVersionIds: (input) => stub<OperationResult<'ListSecretVersionIds'>>({ VersionIds: [stub<SecretVersionEntry>({ VersionId: `${input.SecretName}-v1` })] }),
    ListResourceTags: (input) => ({ Tags: [{ TagKey: 'owner', TagValue: input.SecretName ?? '' }] }),
    GetSecretValue: (input) => stub<OperationResult<'GetSecretValue'>>({ SecretName: input.SecretName, VersionId: input.VersionId, SecretData: 'hunter2' }),
  });
}

describe('the secret detail store', () => {
  it('reads metadata without the request id, every version including deprecated ones, and the tags', async () => {
    const host = secretHost(['db/a']);
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    await Promise.all([detail.loadVersions(), detail.loadTags()]);
    expect(detail.metadata).toEqual({ SecretName: 'db/a', Description: 'about db/a' });
    expect(host.inputsOf('ListSecretVersionIds')).toEqual([{ SecretName: 'db/a', IncludeDeprecated: true, PageNumber: 1, PageSize: 100 }]);
    expect(host.inputsOf('ListResourceTags')).toEqual([{ SecretName: 'db/a' }]);
    expect(detail.versions.map((version) => version.VersionId)).toEqual(['db/a-v1']);
    expect(detail.tags).toEqual([{ TagKey: 'owner', TagValue: 'db/a' }]);
  });

  it('hands a value to the caller without keeping it', async () => {
    const host = secretHost(['db/a']);
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    expect((await detail.readValue('v7')).SecretData).toBe('hunter2');
    expect(host.inputsOf('GetSecretValue')).toEqual([{ SecretName: 'db/a', VersionId: 'v7' }]);
    expect(JSON.stringify(detail.$state)).not.toContain('hunter2');
  });

  it('clears what another secret showed, and everything once the secret is gone', async () => {
    const host = secretHost(['db/a', 'db/b']);
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    await Promise.all([detail.loadVersions(), detail.loadTags()]);
    await detail.load('db/b');
    expect(detail.metadata?.SecretName).toBe('db/b');
    expect(detail.versions).toEqual([]);
    expect(detail.tags).toEqual([]);

    detail.clear();
    expect(detail.metadata).toBeNull();
    await detail.refresh();
    expect(host.inputsOf('DescribeSecret')).toHaveLength(2);
  });

  it('propagates a refused DescribeSecret and ends loading with nothing shown', async () => {
    secretHost([]);
    const detail = useSecretDetailStore();
    await expect(detail.load('db/missing')).rejects.toMatchObject({ Code: 'NotFound.Secret' });
    expect(detail.metadata).toBeNull();
    expect(detail.loading).toBe(false);
  });
});
