import type { CeremonyScriptInput } from '../../../../../shared/contract';
import { ADMINISTRATOR_AND_TWO_WITNESSES, ROSTER_CHECK } from './common';

const KEY_ID = '${steps.create-external-key.KeyId}';

/**
 * Built-in script (3): bring your own key. An EXTERNAL key is created without material, Keyward
 * hands out a wrapping public key and an import token, the material is wrapped offline on the
 * site's own system by its custodian, and imported into the HSM.
 */
export const byokImportScript: CeremonyScriptInput = {
  Name: 'byok-import',
  // Not a title ending in `import`: electron-vite's CommonJS shim takes `import",` in the bundle for an import statement.
  Title: 'Bring your own key: import of external key material',
  Description:
    'Imports key material generated outside Keyward: an EXTERNAL key is created, Keyward issues a wrapping public key (generated inside the HSM) and an import token valid 24 hours, the material custodian wraps the material offline with that public key, and the wrapped material is imported and checked. The material itself never passes through the console unwrapped.',
  Roles: ADMINISTRATOR_AND_TWO_WITNESSES,
  Steps: [
    {
      StepId: 'prepare-room',
      Title: 'Prepare the room and the material',
      Instructions: [
        ROSTER_CHECK,
        'The material custodian shows the sealed media holding the key material (or the offline system that generates it); witnesses check the seal number against the plan.',
        'Agree on the key spec and the key store written in the plan. Check that the console is offline and the audit trail intact.',
      ].join('\n'),
      WitnessSignOffs: 2,
    },
    {
      StepId: 'create-external-key',
      Title: 'Create the key without material',
      Instructions:
        'Create the key with Origin EXTERNAL: it has no material and stays PendingImport until the import. The administrator confirms that only the custodian’s copy of the material exists and that the key is unusable when the material expires or is deleted. Witnesses write the KeyId on the paper log.',
      Operation: 'CreateKey',
      Input: {
        KeySpec: '${KeySpec}',
        KeyUsage: '${KeyUsage}',
        Origin: 'EXTERNAL',
        ProtectionLevel: 'HSM',
        KeyStoreId: '${KeyStoreId}',
        Description: '${KeyDescription}',
        AcknowledgeExternalKeyMaterial: true,
      },
      Parameters: [
        { Name: 'KeySpec', Label: 'Key spec of the material (e.g. Aliyun_AES_256)' },
        { Name: 'KeyUsage', Label: 'Key usage (e.g. ENCRYPT/DECRYPT)' },
        { Name: 'KeyStoreId', Label: 'KeyStoreId of the key store' },
        { Name: 'KeyDescription', Label: 'Description (purpose, material origin, ceremony reference)' },
      ],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'KeyId', From: 'KeyMetadata.KeyId', Kind: 'VALUE' },
        { Name: 'KeyState', From: 'KeyMetadata.KeyState', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'get-wrapping-key',
      Title: 'Get the wrapping public key and import token',
      Instructions:
        'Keyward generates an RSA-2048 wrapping key pair inside the HSM and returns its public key (base64 DER) and an import token valid 24 hours. Copy the public key to the custodian’s offline system on fresh media; witnesses compare its first and last eight characters on both screens.',
      Operation: 'GetParametersForImport',
      Input: { KeyId: KEY_ID, WrappingAlgorithm: '${WrappingAlgorithm}', WrappingKeySpec: 'RSA_2048' },
      Parameters: [{ Name: 'WrappingAlgorithm', Label: 'Wrapping algorithm (RSAES_OAEP_SHA_256 for AES/HMAC, RSA_AES_KEY_WRAP_SHA_256 for key pairs)' }],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'WrappingPublicKey', From: 'PublicKey', Kind: 'VALUE' },
        { Name: 'ImportToken', From: 'ImportToken', Kind: 'VALUE' },
        { Name: 'TokenExpireTime', From: 'TokenExpireTime', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'wrap-material',
      Title: 'Wrap the material offline',
      Instructions:
        'On the offline system, the custodian wraps the key material with the wrapping public key and the algorithm chosen above (e.g. `openssl pkeyutl -encrypt -pubin -inkey wrapping.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256`), and brings back only the wrapped material, base64 encoded. Witnesses watch that the plain material is never copied to the media that comes back, then the custodian reseals the material.',
      WitnessSignOffs: 2,
    },
    {
      StepId: 'import-material',
      Title: 'Import the wrapped material',
      Instructions:
        'Paste the wrapped material. It is unwrapped inside the HSM; the key becomes Enabled. The wrapped material is recorded in the transcript (it is useless without the wrapping private key, which never leaves the HSM).',
      Operation: 'ImportKeyMaterial',
      Input: { KeyId: KEY_ID, EncryptedKeyMaterial: '${EncryptedKeyMaterial}', ImportToken: '${steps.get-wrapping-key.ImportToken}' },
      Parameters: [{ Name: 'EncryptedKeyMaterial', Label: 'Wrapped key material (base64)' }],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'KeyState', From: 'KeyState', Kind: 'VALUE' },
        { Name: 'MaterialExpireTime', From: 'MaterialExpireTime', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'check-key',
      Title: 'Check the imported key',
      Instructions:
        'Read the key’s metadata. Witnesses check that it is Enabled with Origin EXTERNAL, in the planned key store. Where the plan names a known-answer test (e.g. a MAC or ciphertext made with the original material), run it now from the Keys page and record the result as a deviation note.',
      Operation: 'DescribeKey',
      Input: { KeyId: KEY_ID },
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'KeyState', From: 'KeyMetadata.KeyState', Kind: 'VALUE' },
        { Name: 'Origin', From: 'KeyMetadata.Origin', Kind: 'VALUE' },
        { Name: 'KeyStoreId', From: 'KeyMetadata.KeyStoreId', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'close-ceremony',
      Title: 'Secure the material and close',
      Instructions:
        'The custodian returns the resealed material to its safe (or destroys the offline copy as the plan says) in front of a witness; the media that carried the wrapped material is wiped. Witnesses sign the paper log. The administrator completes the ceremony and exports the signed transcript.',
      WitnessSignOffs: 2,
    },
  ],
};
