import { describe, expect, it } from 'vitest';
import type { KeyMetadata, OperationResult } from '../../../../shared/contract';
import { useKeyDetailStore } from '../../../../renderer/src/stores/key-detail';
import { useKeyLifecycleStore, type ImportParameters } from '../../../../renderer/src/stores/key-lifecycle';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { fakeHost, stub } from '../support/fake-host';

type KeyState = KeyMetadata['KeyState'];

const KEY = stub<KeyMetadata>({ KeyId: 'k1', KeySpec: 'Aliyun_AES_256' });

/** A host whose key k1 has the state the last transition left it in. */
function lifecycleHost(refuse: Set<string> = new Set()) {
  let state: KeyState = 'Enabled';
  const moveTo = (operation: string, next: KeyState) => {
    if (refuse.has(operation)) throw new KmsClientError('Forbidden.KeyState', `${operation} refused`);
    state = next;
    return { KeyId: 'k1', KeyState: next, DeleteDate: '', MaterialExpireTime: '' };
  };
  return fakeHost({
    DescribeKey: (input) => ({ KeyMetadata: stub<KeyMetadata>({ KeyId: input.KeyId, KeySpec: 'Aliyun_AES_256', KeyState: state }) }),
    EnableKey: () => moveTo('EnableKey', 'Enabled'),
    DisableKey: () => moveTo('DisableKey', 'Disabled'),
    ScheduleKeyDeletion: () => moveTo('ScheduleKeyDeletion', 'PendingDeletion'),
    CancelKeyDeletion: () => moveTo('CancelKeyDeletion', 'Disabled'),
    DeleteKeyMaterial: () => moveTo('DeleteKeyMaterial', 'PendingImport'),
    CreateKeyVersion: (input) => ({ KeyVersion: { KeyId: input.KeyId, KeyVersionId: 'v2', CreationDate: '' } }),
    ListKeyVersions: () => ({ KeyVersions: [], TotalCount: 0, PageNumber: 1, PageSize: 100 }),
    UpdateRotationPolicy: (input) => stub<OperationResult<'UpdateRotationPolicy'>>({ KeyId: input.KeyId }),
    CreateAlias: (input) => stub<OperationResult<'CreateAlias'>>({ AliasName: input.AliasName }),
    DeleteAlias: (input) => ({ AliasName: input.AliasName }),
    ListAliasesByKeyId: () => ({ Aliases: [], TotalCount: 0, PageNumber: 1, PageSize: 100 }),
    TagResource: () => stub<OperationResult<'TagResource'>>({}),
    UntagResource: () => stub<OperationResult<'UntagResource'>>({}),
    ListResourceTags: () => ({ Tags: [] }),
    GetParametersForImport: (input) => ({
      KeyId: input.KeyId,
      ImportToken: 'token-1',
      PublicKey: 'MIIB',
      TokenExpireTime: '2026-12-08T00:00:00Z',
    }),
    ImportKeyMaterial: () => moveTo('ImportKeyMaterial', 'Enabled'),
  });
}

const PARAMETERS: ImportParameters = { ImportToken: 'token-1', PublicKey: 'MIIB', TokenExpireTime: '', WrappingAlgorithm: 'RSAES_OAEP_SHA_256' };

describe('the key lifecycle store', () => {
  it('sends each transition as its operation and shows the state the host recorded', async () => {
    const host = lifecycleHost();
    const detail = useKeyDetailStore();
    await detail.load('k1');
    const lifecycle = useKeyLifecycleStore();
    await lifecycle.transition(KEY, 'disable');
    expect(detail.metadata?.KeyState).toBe('Disabled');
    await lifecycle.transition(KEY, 'schedule-deletion', 7);
    expect(detail.metadata?.KeyState).toBe('PendingDeletion');
    await lifecycle.transition(KEY, 'schedule-deletion');
    await lifecycle.transition(KEY, 'cancel-deletion');
    await lifecycle.transition(KEY, 'enable');
    await lifecycle.transition(KEY, 'delete-material');
    expect(detail.metadata?.KeyState).toBe('PendingImport');
    expect(host.operations().filter((operation) => operation !== 'DescribeKey')).toEqual([
      'DisableKey',
      'ScheduleKeyDeletion',
      'ScheduleKeyDeletion',
      'CancelKeyDeletion',
      'EnableKey',
      'DeleteKeyMaterial',
    ]);
    expect(host.inputsOf('ScheduleKeyDeletion')).toEqual([
      { KeyId: 'k1', PendingWindowInDays: 7 },
      { KeyId: 'k1', PendingWindowInDays: 30 },
    ]);
  });

  it('rethrows a refused transition yet still re-reads the key', async () => {
    const host = lifecycleHost(new Set(['DisableKey']));
    const detail = useKeyDetailStore();
    await detail.load('k1');
    await expect(useKeyLifecycleStore().transition(KEY, 'disable')).rejects.toMatchObject({ Code: 'Forbidden.KeyState' });
    expect(host.operations()).toEqual(['DescribeKey', 'DisableKey', 'DescribeKey']);
    expect(detail.metadata?.KeyState).toBe('Enabled');
  });

  it('sends versions, rotation, aliases and tags with the inputs the operations take, re-reading the tab changed', async () => {
    const host = lifecycleHost();
    await useKeyDetailStore().load('k1');
    const lifecycle = useKeyLifecycleStore();
    await lifecycle.createVersion('k1');
    await lifecycle.updateRotation('k1', true, '604800s');
    await lifecycle.addAlias('k1', 'alias/payments');
    await lifecycle.deleteAlias('alias/payments');
    await lifecycle.tag('k1', 'team', 'payments');
    await lifecycle.untag('k1', 'team');
    expect(host.operations().slice(1)).toEqual([
      'CreateKeyVersion',
      'DescribeKey',
      'ListKeyVersions',
      'UpdateRotationPolicy',
      'DescribeKey',
      'CreateAlias',
      'ListAliasesByKeyId',
      'DeleteAlias',
      'ListAliasesByKeyId',
      'TagResource',
      'ListResourceTags',
      'UntagResource',
      'ListResourceTags',
    ]);
    expect(host.inputsOf('UpdateRotationPolicy')).toEqual([{ KeyId: 'k1', EnableAutomaticRotation: true, RotationInterval: '604800s' }]);
    expect(host.inputsOf('CreateAlias')).toEqual([{ AliasName: 'alias/payments', KeyId: 'k1' }]);
    expect(host.inputsOf('TagResource')).toEqual([{ KeyId: 'k1', Tags: [{ TagKey: 'team', TagValue: 'payments' }] }]);
    expect(host.inputsOf('UntagResource')).toEqual([{ KeyId: 'k1', TagKeys: ['team'] }]);
  });

  it('asks for RSA_2048 import parameters and keeps the algorithm chosen', async () => {
    const host = lifecycleHost();
    const parameters = await useKeyLifecycleStore().importParameters('k1', 'RSAES_OAEP_SHA_1');
    expect(host.inputsOf('GetParametersForImport')).toEqual([{ KeyId: 'k1', WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' }]);
    expect(parameters).toEqual({ ImportToken: 'token-1', PublicKey: 'MIIB', TokenExpireTime: '2026-12-08T00:00:00Z', WrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
  });

  it('sends pasted material without its whitespace, and refuses material that is not base64 before calling', async () => {
    const host = lifecycleHost();
    await useKeyDetailStore().load('k1');
    const lifecycle = useKeyLifecycleStore();
    await lifecycle.importMaterial('k1', PARAMETERS, ' QUJD\nREVG \n', 1_800_000_000);
    expect(host.inputsOf('ImportKeyMaterial')).toEqual([
      { KeyId: 'k1', ImportToken: 'token-1', EncryptedKeyMaterial: 'QUJDREVG', KeyMaterialExpireUnix: 1_800_000_000 },
    ]);
    await expect(lifecycle.importMaterial('k1', PARAMETERS, 'not base64!')).rejects.toMatchObject({
      Code: 'InvalidParameter',
      Message: 'The encrypted key material is not base64: paste the wrapped bytes base64-encoded.',
    });
    expect(host.inputsOf('ImportKeyMaterial')).toHaveLength(1);
  });

  it('re-reads the key after a refused import and rethrows the refusal', async () => {
    const host = lifecycleHost(new Set(['ImportKeyMaterial']));
    await useKeyDetailStore().load('k1');
    await expect(useKeyLifecycleStore().importMaterial('k1', PARAMETERS, 'QUJD')).rejects.toThrow('ImportKeyMaterial refused');
    expect(host.operations()).toEqual(['DescribeKey', 'ImportKeyMaterial', 'DescribeKey']);
  });
});
