import { describe, expect, it } from 'vitest';
import type { OperationResult, SecretVersionEntry } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useSecretChangesStore } from '../../../../renderer/src/stores/secret-changes';
import { useSecretDetailStore } from '../../../../renderer/src/stores/secret-detail';
import { fakeHost, stub } from '../support/fake-host';

/** A host with one secret whose description and state follow the changes made. */
function changesHost(options: { refuse?: boolean } = {}) {
  let exists = true;
  let description = 'first';
  let state: 'Enabled' | 'PendingDeletion' = 'Enabled';
  const refuse = (operation: string) => {
    if (options.refuse) throw new KmsClientError('Forbidden.SecretState', `${operation} refused`);
  };
  return fakeHost({
    DescribeSecret: (input) => {
      if (!exists) throw new KmsClientError('NotFound.Secret', 'gone');
      return stub<OperationResult<'DescribeSecret'>>({ SecretName: input.SecretName, Description: description, SecretState: state });
    },
    ListSecretVersionIds: () => stub<OperationResult<'ListSecretVersionIds'>>({ VersionIds: [stub<SecretVersionEntry>({ VersionId: 'v1' })] }),
    ListResourceTags: () => ({ Tags: [] }),
    PutSecretValue: (input) => (refuse('PutSecretValue'), stub<OperationResult<'PutSecretValue'>>({ SecretName: input.SecretName, VersionId: input.VersionId })),
    UpdateSecretVersionStage: (input) => stub<OperationResult<'UpdateSecretVersionStage'>>({ SecretName: input.SecretName }),
    UpdateSecret: (input) => {
      refuse('UpdateSecret');
      description = input.Description ?? description;
      return stub<OperationResult<'UpdateSecret'>>({ SecretName: input.SecretName });
    },
    DeleteSecret: (input) => {
      refuse('DeleteSecret');
      if (input.ForceDeleteWithoutRecovery) exists = false;
      else state = 'PendingDeletion';
      return stub<OperationResult<'DeleteSecret'>>({ SecretName: input.SecretName });
    },
    RestoreSecret: (input) => {
      state = 'Enabled';
      return stub<OperationResult<'RestoreSecret'>>({ SecretName: input.SecretName });
    },
    TagResource: () => stub<OperationResult<'TagResource'>>({}),
    UntagResource: () => stub<OperationResult<'UntagResource'>>({}),
  });
}

describe('the secret changes store', () => {
  it('sends value, stage and description changes as their operations take them and re-reads the secret after each', async () => {
    const host = changesHost();
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    const changes = useSecretChangesStore();
    await changes.putValue({ SecretName: 'db/a', VersionId: 'v2', SecretData: 'hunter2' });
    await changes.moveStage('db/a', { VersionStage: 'ACSCurrent', MoveToVersion: 'v2', RemoveFromVersion: 'v1' });
    await changes.detachStage('db/a', 'ACSPrevious', 'v1');
    await changes.updateDescription('db/a', 'second');
    await changes.changeCmk('db/a', 'k2');
    expect(host.inputsOf('UpdateSecretVersionStage')).toEqual([
      { SecretName: 'db/a', VersionStage: 'ACSCurrent', MoveToVersion: 'v2', RemoveFromVersion: 'v1' },
      { SecretName: 'db/a', VersionStage: 'ACSPrevious', RemoveFromVersion: 'v1' },
    ]);
    expect(host.inputsOf('UpdateSecret')).toEqual([
      { SecretName: 'db/a', Description: 'second' },
      { SecretName: 'db/a', EncryptionKeyId: 'k2' },
    ]);
    expect(host.inputsOf('DescribeSecret')).toHaveLength(6);
    expect(host.inputsOf('ListSecretVersionIds')).toHaveLength(5);
    expect(detail.metadata?.Description).toBe('second');
    expect(detail.versions.map((version) => version.VersionId)).toEqual(['v1']);
    expect(JSON.stringify(detail.$state)).not.toContain('hunter2');
  });

  it('rethrows a refused change after re-reading the secret', async () => {
    const host = changesHost({ refuse: true });
    await useSecretDetailStore().load('db/a');
    await expect(useSecretChangesStore().updateDescription('db/a', 'second')).rejects.toThrow('UpdateSecret refused');
    expect(host.operations().slice(1)).toEqual(['UpdateSecret', 'DescribeSecret', 'ListSecretVersionIds']);
    expect(useSecretDetailStore().metadata?.Description).toBe('first');
  });

  it('schedules a deletion with its recovery window and restores, showing the state recorded', async () => {
    const host = changesHost();
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    const changes = useSecretChangesStore();
    await changes.remove('db/a', { force: false, days: 7 });
    expect(detail.metadata?.SecretState).toBe('PendingDeletion');
    await changes.restore('db/a');
    expect(detail.metadata?.SecretState).toBe('Enabled');
    expect(host.inputsOf('DeleteSecret')).toEqual([{ SecretName: 'db/a', RecoveryWindowInDays: 7 }]);
    expect(host.inputsOf('RestoreSecret')).toEqual([{ SecretName: 'db/a' }]);
  });

  it('forgets a force-deleted secret without reading it again, and re-reads it when the forced deletion is refused', async () => {
    const host = changesHost();
    const detail = useSecretDetailStore();
    await detail.load('db/a');
    await useSecretChangesStore().remove('db/a', { force: true });
    expect(host.inputsOf('DeleteSecret')).toEqual([{ SecretName: 'db/a', ForceDeleteWithoutRecovery: true }]);
    expect(detail.metadata).toBeNull();
    expect(host.operations()).toEqual(['DescribeSecret', 'DeleteSecret']);

    const refusing = changesHost({ refuse: true });
    await useSecretDetailStore().load('db/a');
    await expect(useSecretChangesStore().remove('db/a', { force: true })).rejects.toThrow('DeleteSecret refused');
    expect(refusing.operations()).toEqual(['DescribeSecret', 'DeleteSecret', 'DescribeSecret', 'ListSecretVersionIds']);
    expect(useSecretDetailStore().metadata?.SecretName).toBe('db/a');
  });

  it('tags and untags by SecretName and re-reads only the tags', async () => {
    const host = changesHost();
    await useSecretDetailStore().load('db/a');
    const changes = useSecretChangesStore();
    await changes.tag('db/a', 'team', 'payments');
    await changes.untag('db/a', 'team');
    expect(host.calls.slice(1).map((call) => [call.operation, call.input])).toEqual([
      ['TagResource', { SecretName: 'db/a', Tags: [{ TagKey: 'team', TagValue: 'payments' }] }],
      ['ListResourceTags', { SecretName: 'db/a' }],
      ['UntagResource', { SecretName: 'db/a', TagKeys: ['team'] }],
      ['ListResourceTags', { SecretName: 'db/a' }],
    ]);
  });
});
