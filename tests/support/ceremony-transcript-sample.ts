/**
 * A ceremony and its script written out by hand, as the ceremony service would describe a
 * finished one: what transcript tests render, sign and check without running a ceremony.
 */
import type { Ceremony, CeremonyScript, CeremonyTranscript } from '../../shared/contract';

export const SAMPLE_CEREMONY_ID = 'cer-5b0e4a8c-1f2d-4c3b-9a7e-0d1c2b3a4f5e';

export const SAMPLE_SCRIPT: CeremonyScript = {
  Name: 'root-signing-key',
  Title: 'Root signing key generation',
  Description: 'Generates the offline root signing key inside the HSM before two witnesses, records its public key fingerprint and stores the transcript with the key custodians.',
  Roles: [
    { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
    { Role: 'WITNESS', Count: 2 },
  ],
  Steps: [
    {
      StepId: 'check-room',
      Title: 'Check the room and the equipment',
      Instructions: 'The administrator shows the tamper-evident bag numbers of the HSM and the laptop to the witnesses; each witness reads them aloud and compares them with the inventory sheet.',
      Parameters: [],
      WitnessSignOffs: 2,
      Outputs: [],
    },
    {
      StepId: 'create-root-key',
      Title: 'Create the root signing key (P-384)',
      Instructions: 'Run the step. Read the key id and the public key fingerprint aloud; the witnesses write them down.',
      Operation: 'CreateKey',
      Input: { KeySpec: 'EC_P384', KeyUsage: 'SIGN/VERIFY', Description: '${Purpose}' },
      Parameters: [{ Name: 'Purpose', Label: 'What the key is for', Secret: false }],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyId', From: 'KeyMetadata.KeyId', Kind: 'VALUE' },
        { Name: 'PublicKey', From: 'PublicKey', Kind: 'SHA256' },
      ],
    },
    {
      StepId: 'seal-backup',
      Title: 'Seal the backup media',
      Instructions: 'Put the backup media into a new tamper-evident bag (parentheses (like these) and a backslash \\ must print) and write its number on the sheet.',
      Parameters: [],
      WitnessSignOffs: 1,
      Outputs: [],
    },
  ],
};

const signature = 'MEUCIQDx3v0wq0n9sJ7c0bKq4m1mXg8Jw6c9H2d5f0r8V1y3ZAIgR2vT6w7y9qJ3k0b5n8m1c4x7z0a2s5d8f1g4h7j0k3M=';

export function sampleCeremony(): Ceremony {
  return {
    CeremonyId: SAMPLE_CEREMONY_ID,
    ScriptName: SAMPLE_SCRIPT.Name,
    ScriptTitle: SAMPLE_SCRIPT.Title,
    ScriptSha256: '3f1c9a4be0d2c8f7a6b5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3',
    State: 'COMPLETED',
    Participants: [
      { OfficerName: 'alice', Role: 'CEREMONY_ADMINISTRATOR', PublicKeyFingerprint: 'a1'.repeat(32) },
      { OfficerName: 'bob', Role: 'WITNESS', PublicKeyFingerprint: 'b2'.repeat(32) },
      { OfficerName: 'chloé', Role: 'WITNESS', PublicKeyFingerprint: 'c3'.repeat(32) },
    ],
    StartedBy: 'alice',
    StartedAt: '2026-12-01T09:00:00.000Z',
    EndedAt: '2026-12-01T10:12:44.000Z',
    CurrentStepId: null,
    Steps: [
      {
        StepId: 'check-room',
        Title: 'Check the room and the equipment',
        State: 'SIGNED_OFF',
        Operation: null,
        Input: null,
        StartedAt: '2026-12-01T09:05:00.000Z',
        FinishedAt: '2026-12-01T09:05:00.000Z',
        RunBy: 'alice',
        Attempts: 1,
        Outputs: [],
        ErrorCode: null,
        ErrorMessage: null,
        ApprovalRequestId: null,
        AuditSequence: 12,
        Recovered: null,
        SignOffs: [
          { OfficerName: 'bob', SignedAt: '2026-12-01T09:07:10.000Z', Signature: signature },
          { OfficerName: 'chloé', SignedAt: '2026-12-01T09:08:02.000Z', Signature: signature },
        ],
        SignOffDigest: '9e'.repeat(32),
        Deviations: [],
      },
      {
        StepId: 'create-root-key',
        Title: 'Create the root signing key (P-384)',
        State: 'SIGNED_OFF',
        Operation: 'CreateKey',
        Input: { KeySpec: 'EC_P384', KeyUsage: 'SIGN/VERIFY', Description: 'Root CA 2026 – offline' },
        StartedAt: '2026-12-01T09:20:00.000Z',
        FinishedAt: '2026-12-01T09:20:01.250Z',
        RunBy: 'alice',
        Attempts: 2,
        Outputs: [
          { Name: 'KeyId', Kind: 'VALUE', Value: 'key-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' },
          { Name: 'PublicKey', Kind: 'SHA256', Value: 'd4'.repeat(32) },
        ],
        ErrorCode: null,
        ErrorMessage: null,
        ApprovalRequestId: null,
        AuditSequence: 15,
        Recovered: null,
        SignOffs: [{ OfficerName: 'bob', SignedAt: '2026-12-01T09:25:00.000Z', Signature: signature }],
        SignOffDigest: '7a'.repeat(32),
        Deviations: [{ Note: 'The first attempt failed: the HSM was still locked (Forbidden.KeyStoreState). Unlocked and ran again.', RecordedBy: 'alice', RecordedAt: '2026-12-01T09:19:30.000Z' }],
      },
      {
        StepId: 'seal-backup',
        Title: 'Seal the backup media',
        State: 'SKIPPED',
        Operation: null,
        Input: null,
        StartedAt: null,
        FinishedAt: null,
        RunBy: null,
        Attempts: 0,
        Outputs: [],
        ErrorCode: null,
        ErrorMessage: null,
        ApprovalRequestId: null,
        AuditSequence: null,
        Recovered: null,
        SignOffs: [],
        SignOffDigest: null,
        Deviations: [{ Note: 'No backup media in the room; the backup is made in a later ceremony.', RecordedBy: 'alice', RecordedAt: '2026-12-01T10:10:00.000Z' }],
      },
    ],
  };
}

export function sampleTranscript(): CeremonyTranscript {
  return {
    Format: 'keyward-ceremony-transcript/1',
    Ceremony: sampleCeremony(),
    Script: SAMPLE_SCRIPT,
    AuditRange: { FromSequence: 11, ToSequence: 19, FromHash: 'ab'.repeat(32), ToHash: 'cd'.repeat(32) },
    SigningKeySha256: 'ef'.repeat(32),
  };
}
