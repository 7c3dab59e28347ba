import type { KeyState, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow } from '../../registry';
import type { AuditDetails, AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { KeyResolver } from './key-resolver';
import { isSymmetricSpec, rotationIntervalSeconds } from './key-specs';
import { apiDate } from '../api-date';

const DAY_MS = 86_400_000;
const DEFAULT_ROTATION_INTERVAL = '365d';

/** The key-state machine: Enabled ⇄ Disabled, either → PendingDeletion → back, or destroyed when due. */
export class KeyLifecycleService {
  constructor(
    private readonly context: ServiceContext,
    private readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
  ) {}

  enable(input: ParsedInput<'EnableKey'>, request: RequestContext): OperationResult<'EnableKey'> {
    return this.transition(request, 'EnableKey', input.KeyId, ['Enabled', 'Disabled'], 'enabled', () => ({ keyState: 'Enabled', deleteDate: null }));
  }

  disable(input: ParsedInput<'DisableKey'>, request: RequestContext): OperationResult<'DisableKey'> {
    return this.transition(request, 'DisableKey', input.KeyId, ['Enabled', 'Disabled'], 'disabled', () => ({ keyState: 'Disabled', deleteDate: null }));
  }

  schedule(input: ParsedInput<'ScheduleKeyDeletion'>, request: RequestContext): OperationResult<'ScheduleKeyDeletion'> {
    const deleteDate = new Date(this.context.now().getTime() + input.PendingWindowInDays * DAY_MS).toISOString();
    return this.transition(
      request,
      'ScheduleKeyDeletion',
      input.KeyId,
      ['Enabled', 'Disabled', 'PendingImport'],
      'scheduled for deletion',
      (key) => {
        // A CMK that still wraps the data keys of secrets would take their values with it.
        const secrets = this.context.registry.secrets.countByKey(key.id);
        if (secrets > 0) {
          throw new KmsError('Forbidden.KeyInUse', `Key ${key.id} protects ${secrets} secret${secrets === 1 ? '' : 's'}; move ${secrets === 1 ? 'it' : 'them'} to another key (UpdateSecret EncryptionKeyId) or delete ${secrets === 1 ? 'it' : 'them'} first.`);
        }
        return { keyState: 'PendingDeletion', deleteDate };
      },
      { PendingWindowInDays: input.PendingWindowInDays },
    );
  }

  cancel(input: ParsedInput<'CancelKeyDeletion'>, request: RequestContext): OperationResult<'CancelKeyDeletion'> {
    return this.transition(request, 'CancelKeyDeletion', input.KeyId, ['PendingDeletion'], 'restored', (key) => {
      // Once due, the destruction may already be under way on the HSMs: too late to cancel.
      if (key.deleteDate !== null && key.deleteDate <= this.context.now().toISOString()) {
        throw new KmsError('Forbidden.KeyState', `Key ${key.id} was due for deletion at ${key.deleteDate}; it can no longer be restored.`);
      }
      // A key without material goes back to waiting for it; one with material comes back usable.
      return { keyState: key.primaryVersionId ? 'Enabled' : 'PendingImport', deleteDate: null };
    });
  }

  updateRotationPolicy(input: ParsedInput<'UpdateRotationPolicy'>, request: RequestContext): OperationResult<'UpdateRotationPolicy'> {
    const key = this.resolver.resolve(input.KeyId);
    if (key.keyState === 'PendingDeletion') throw new KmsError('Forbidden.KeyState', `Key ${key.id} is PendingDeletion.`);
    if (input.EnableAutomaticRotation && !isSymmetricSpec(key.keySpec)) {
      throw new KmsError('InvalidParameter', `Automatic rotation is available for symmetric keys only, not ${key.keySpec}.`);
    }
    if (input.EnableAutomaticRotation && key.origin === 'EXTERNAL') {
      throw new KmsError('UnsupportedOperation', 'Keys with imported material cannot rotate automatically.');
    }
    if (input.EnableAutomaticRotation && key.origin === 'EXTERNAL_KEY_STORE') {
      throw new KmsError('UnsupportedOperation', 'Keys of an external key store do not rotate automatically: the external key is managed at its proxy.');
    }
    const interval = input.EnableAutomaticRotation ? (input.RotationInterval ?? key.rotationInterval ?? DEFAULT_ROTATION_INTERVAL) : key.rotationInterval;
    // Validates the 7-730 day range before anything is written.
    if (interval) rotationIntervalSeconds(interval);
    const nextRotationDate =
      input.EnableAutomaticRotation && interval
        ? new Date(Date.parse(key.lastRotationDate ?? key.createdAt) + rotationIntervalSeconds(interval) * 1000).toISOString()
        : null;
    const automaticRotation = input.EnableAutomaticRotation ? 'Enabled' : 'Disabled';
    this.audit.recordChange(
      request,
      { operation: 'UpdateRotationPolicy', resourceId: key.id, details: { AutomaticRotation: automaticRotation, RotationInterval: interval ?? '' } },
      () => {
        this.context.registry.keys.update(key.id, { automaticRotation, rotationInterval: interval, nextRotationDate });
      },
    );
    return { KeyId: key.id, AutomaticRotation: automaticRotation, RotationInterval: interval ?? '', NextRotationDate: apiDate(nextRotationDate) };
  }

  /**
   * One state change: the key is read again and checked inside the transaction that writes it,
   * so a change made meanwhile by another window or the CLI is never overwritten.
   */
  private transition(
    request: RequestContext,
    operation: 'EnableKey' | 'DisableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion',
    identifier: string,
    allowed: readonly KeyState[],
    verb: string,
    next: (key: KeyRow) => { keyState: KeyState; deleteDate: string | null },
    extra: AuditDetails = {},
  ): { KeyId: string; KeyState: KeyState; DeleteDate: string } {
    const { id } = this.resolver.resolve(identifier);
    const details: AuditDetails = { ...extra };
    return this.audit.recordChange(request, { operation, resourceId: id, details }, () => {
      const key = this.resolver.resolve(id);
      if (!allowed.includes(key.keyState)) {
        throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState} and cannot be ${verb}.`);
      }
      const { keyState, deleteDate } = next(key);
      this.context.registry.keys.updateState(key.id, keyState, deleteDate);
      Object.assign(details, { From: key.keyState, To: keyState });
      return { KeyId: key.id, KeyState: keyState, DeleteDate: apiDate(deleteDate) };
    });
  }
}
