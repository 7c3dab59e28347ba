import type { CeremonyScriptInput } from '../../../../../shared/contract';
import { ADMINISTRATOR_AND_TWO_WITNESSES, ROSTER_CHECK } from './common';

const KEY_ID = '${steps.identify-key.KeyId}';

/**
 * Built-in script (4): a key taken out of service and scheduled for destruction after the waiting
 * period its destruction order names (typed at the step; the template gives it as a number).
 */
export const keyDestructionScript: CeremonyScriptInput = {
  Name: 'key-destruction',
  Title: 'Key destruction',
  Description:
    'Takes a key out of service before witnesses: the key is identified and checked against the destruction order, disabled, and scheduled for deletion after the waiting period the destruction order names (7 to 366 days), during which the deletion can still be cancelled. The key material is destroyed in the HSMs when the period ends.',
  Roles: ADMINISTRATOR_AND_TWO_WITNESSES,
  Steps: [
    {
      StepId: 'check-order',
      Title: 'Check the destruction order',
      Instructions: [
        ROSTER_CHECK,
        'Read the signed destruction order: which key (KeyId or alias), why, who approved it, and confirmation from its owners that nothing still needs it (data encrypted under it re-encrypted, signatures no longer to be made).',
        'Witnesses check that the approvals on the order are those the policy requires.',
      ].join('\n'),
      WitnessSignOffs: 2,
    },
    {
      StepId: 'identify-key',
      Title: 'Identify the key',
      Instructions:
        'Read the key named in the order. Witnesses compare its KeyId, alias, description, key spec and creation date with the order; any mismatch stops the ceremony (abort it with the reason).',
      Operation: 'DescribeKey',
      Input: { KeyId: '${KeyId}' },
      Parameters: [{ Name: 'KeyId', Label: 'KeyId or alias of the key to destroy' }],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyId', From: 'KeyMetadata.KeyId', Kind: 'VALUE' },
        { Name: 'Arn', From: 'KeyMetadata.Arn', Kind: 'VALUE' },
        { Name: 'KeySpec', From: 'KeyMetadata.KeySpec', Kind: 'VALUE' },
        { Name: 'KeyState', From: 'KeyMetadata.KeyState', Kind: 'VALUE' },
        { Name: 'Description', From: 'KeyMetadata.Description', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'disable-key',
      Title: 'Disable the key',
      Instructions: 'Disable the key: from now on every use of it is refused. Witnesses check that its state is Disabled.',
      Operation: 'DisableKey',
      Input: { KeyId: KEY_ID },
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'KeyState', From: 'KeyState', Kind: 'VALUE' }],
    },
    {
      StepId: 'schedule-deletion',
      Title: 'Schedule the deletion with its waiting period',
      Instructions:
        'Schedule the deletion with the waiting period the destruction order names (7 to 366 days; 30 unless the order says otherwise). Witnesses check that the state is PendingDeletion and write the deletion date on the paper log; until then CancelKeyDeletion can still bring the key back, after it the material is destroyed in every HSM and cannot be recovered.',
      Operation: 'ScheduleKeyDeletion',
      Input: { KeyId: KEY_ID, PendingWindowInDays: '${PendingWindowInDays}' },
      Parameters: [{ Name: 'PendingWindowInDays', Label: 'Waiting period in days, as the destruction order names it (7-366)' }],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyState', From: 'KeyState', Kind: 'VALUE' },
        { Name: 'DeleteDate', From: 'DeleteDate', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'confirm-destruction-plan',
      Title: 'Confirm the follow-up',
      Instructions:
        'Agree who checks, after the deletion date, that the key is gone (DescribeKey answers NotFound.Key) and that the audit trail holds its DeleteKey record, and who destroys any backup media or paper copies that still hold the key (backups made before today still contain it). Witnesses sign the paper log. The administrator completes the ceremony and exports the signed transcript.',
      WitnessSignOffs: 2,
    },
  ],
};
