import type { KeyState, OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import type { KeyResolver } from './key-resolver';
import { isSymmetricSpec, rotationIntervalSeconds } from './key-specs';

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
    const key = this.resolver.resolve(input.KeyId);
    this.requireState(key, ['Enabled', 'Disabled'], 'enabled');
    return this.transition(request, 'EnableKey', key, 'Enabled', null);
  }

  disable(input: ParsedInput<'DisableKey'>, request: RequestContext): OperationResult<'DisableKey'> {
    const key = this.resolver.resolve(input.KeyId);
    this.requireState(key, ['Enabled', 'Disabled'], 'disabled');
    return this.transition(request, 'DisableKey', key, 'Disabled', null);
  }

  schedule(input: ParsedInput<'ScheduleKeyDeletion'>, request: RequestContext): OperationResult<'ScheduleKeyDeletion'> {
    const key = this.resolver.resolve(input.KeyId);
    this.requireState(key, ['Enabled', 'Disabled', 'PendingImport'], 'scheduled for deletion');
    const deleteDate = new Date(this.context.now().getTime() + input.PendingWindowInDays * DAY_MS).toISOString();
    return this.transition(request, 'ScheduleKeyDeletion', key, 'PendingDeletion', deleteDate, { PendingWindowInDays: input.PendingWindowInDays });
  }

  cancel(input: ParsedInput<'CancelKeyDeletion'>, request: RequestContext): OperationResult<'CancelKeyDeletion'> {
    const key = this.resolver.resolve(input.KeyId);
    this.requireState(key, ['PendingDeletion'], 'restored');
    // A key without material goes back to waiting for it; one with material comes back usable.
    const restored: KeyState = key.primaryVersionId ? 'Enabled' : 'PendingImport';
    return this.transition(request, 'CancelKeyDeletion', key, restored, null);
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
    return { KeyId: key.id, AutomaticRotation: automaticRotation, RotationInterval: interval ?? '', NextRotationDate: nextRotationDate ?? '' };
  }

  private requireState(key: KeyRow, allowed: readonly KeyState[], verb: string): void {
    if (!allowed.includes(key.keyState)) {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState} and cannot be ${verb}.`);
    }
  }

  private transition(
    request: RequestContext,
    operation: 'EnableKey' | 'DisableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion',
    key: KeyRow,
    keyState: KeyState,
    deleteDate: string | null,
    details: Record<string, string | number> = {},
  ): { KeyId: string; KeyState: KeyState; DeleteDate: string } {
    this.audit.recordChange(request, { operation, resourceId: key.id, details: { From: key.keyState, To: keyState, ...details } }, () => {
      this.context.registry.keys.updateState(key.id, keyState, deleteDate);
    });
    return { KeyId: key.id, KeyState: keyState, DeleteDate: deleteDate ?? '' };
  }
}

export function rotationDue(key: KeyRow, now: string): boolean {
  return key.automaticRotation === 'Enabled' && key.nextRotationDate !== null && key.nextRotationDate <= now;
}

