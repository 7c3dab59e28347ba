import type { CeremonyScriptInput } from '../../../../../shared/contract';
import { ADMINISTRATOR_AND_TWO_WITNESSES, ROSTER_CHECK } from './common';

const KEY_ID = '${steps.create-root-key.KeyId}';

/**
 * Built-in script (2): a root signing key generated inside the HSMs of a connected private key
 * store, with its public key read back and fingerprinted in front of the witnesses. The key spec
 * (RSA_4096 or EC_P256) is the site's choice, typed at the step.
 */
export const rootSigningKeyScript: CeremonyScriptInput = {
  Name: 'root-signing-key',
  Title: 'Root signing key generation',
  Description:
    'Generates a root signing key (RSA_4096 or EC_P256, SIGN/VERIFY) inside the HSMs of a private key store, reads its public key back and records it with its SHA-256 fingerprint, so the key can be certified or published and later recognised by that fingerprint alone.',
  Roles: ADMINISTRATOR_AND_TWO_WITNESSES,
  Steps: [
    {
      StepId: 'prepare-room',
      Title: 'Prepare the room',
      Instructions: [
        ROSTER_CHECK,
        'Check that the console is offline and that the audit trail is intact (Audit page: chain verified).',
        'Agree on the key spec written in the ceremony plan (RSA_4096 or EC_P256), the key’s alias and description, and the private key store it goes into.',
      ].join('\n'),
      WitnessSignOffs: 2,
    },
    {
      StepId: 'check-key-store',
      Title: 'Check the private key store',
      Instructions:
        'Read the private key store named in the plan. Witnesses check that it is an HSM_CLUSTER store with ProtectionLevel HSM, that it is CONNECTED, and that its cluster is the one in the plan.',
      Operation: 'DescribeKeyStores',
      Input: { KeyStoreId: '${KeyStoreId}' },
      Parameters: [{ Name: 'KeyStoreId', Label: 'KeyStoreId of the private key store' }],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'KeyStoreId', From: 'KeyStores.0.KeyStoreId', Kind: 'VALUE' },
        { Name: 'KeyStoreType', From: 'KeyStores.0.KeyStoreType', Kind: 'VALUE' },
        { Name: 'ConnectionState', From: 'KeyStores.0.ConnectionState', Kind: 'VALUE' },
        { Name: 'ClusterId', From: 'KeyStores.0.ClusterId', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'create-root-key',
      Title: 'Generate the root signing key',
      Instructions:
        'Generate the key pair inside the HSMs. The private key never leaves them. Witnesses check the key spec, usage (SIGN/VERIFY), protection level (HSM) and alias shown against the plan, and write the KeyId on the paper log.',
      Operation: 'CreateKey',
      Input: {
        KeySpec: '${KeySpec}',
        KeyUsage: 'SIGN/VERIFY',
        Origin: 'Aliyun_KMS',
        ProtectionLevel: 'HSM',
        KeyStoreId: '${steps.check-key-store.KeyStoreId}',
        Description: '${KeyDescription}',
        Alias: '${Alias}',
      },
      Parameters: [
        { Name: 'KeySpec', Label: 'Key spec: RSA_4096 or EC_P256' },
        { Name: 'KeyDescription', Label: 'Description (purpose, certificate subject, ceremony reference)' },
        { Name: 'Alias', Label: 'Alias (alias/...)' },
      ],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyId', From: 'KeyMetadata.KeyId', Kind: 'VALUE' },
        { Name: 'Arn', From: 'KeyMetadata.Arn', Kind: 'VALUE' },
        { Name: 'KeySpec', From: 'KeyMetadata.KeySpec', Kind: 'VALUE' },
        { Name: 'KeyVersionId', From: 'KeyMetadata.PrimaryKeyVersion', Kind: 'VALUE' },
        { Name: 'ProtectionLevel', From: 'KeyMetadata.ProtectionLevel', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'record-public-key',
      Title: 'Read back and fingerprint the public key',
      Instructions: [
        'Read the public key of the new key. The PEM and the SHA-256 fingerprint of its DER are recorded in the transcript.',
        'Each witness reads the fingerprint aloud in groups of four characters and writes it on the paper log; anyone can check it later with `openssl pkey -pubin -in root.pem -outform DER | sha256sum`.',
      ].join('\n'),
      Operation: 'GetPublicKey',
      Input: { KeyId: KEY_ID },
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyId', From: 'KeyId', Kind: 'VALUE' },
        { Name: 'KeyVersionId', From: 'KeyVersionId', Kind: 'VALUE' },
        { Name: 'PublicKey', From: 'PublicKey', Kind: 'VALUE' },
        { Name: 'PublicKeySha256', From: 'PublicKey', Kind: 'SHA256' },
      ],
    },
    {
      StepId: 'check-key',
      Title: 'Check the key’s state',
      Instructions: 'Read the key’s metadata. Witnesses check that it is Enabled, HSM-protected, in the planned key store, and that no other key was created during the ceremony.',
      Operation: 'DescribeKey',
      Input: { KeyId: KEY_ID },
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'KeyState', From: 'KeyMetadata.KeyState', Kind: 'VALUE' },
        { Name: 'KeyStoreId', From: 'KeyMetadata.KeyStoreId', Kind: 'VALUE' },
        { Name: 'KeyUsage', From: 'KeyMetadata.KeyUsage', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'close-ceremony',
      Title: 'Close',
      Instructions:
        'Witnesses sign the paper log with the public key fingerprint on it. The administrator completes the ceremony and exports the signed transcript; the public key PEM goes to the certificate request or publication named in the plan.',
      WitnessSignOffs: 2,
    },
  ],
};
