import type { CeremonyScriptInput } from '../../../../../shared/contract';
import { ADMINISTRATOR_AND_TWO_WITNESSES, ROSTER_CHECK } from './common';

const CLUSTER_ID = '${steps.create-cluster.ClusterId}';

/**
 * Built-in script (1): the seeds' set-up flow, in the order the console's cluster wizard runs it:
 * cluster, an HSM in each of two zones, initialization (SO PIN, owner key and certificate, domain
 * key), kmsuser, activation, the private key store with the owner certificate as trust anchor,
 * and its connection. Registering the PKCS#11 modules is host configuration done before the day
 * (a library outside the system directories needs the officer's confirmation), so the first step
 * checks it rather than doing it.
 */
export const hsmClusterKeyStoreScript: CeremonyScriptInput = {
  Name: 'hsm-cluster-key-store',
  Title: 'HSM cluster, kmsuser and private key store',
  Description:
    'Brings a new HSM cluster into service: two HSMs in separate zones are initialized under a new SO PIN, the cluster owner certificate is created and checked, the crypto user kmsuser is created, the cluster is activated, and the private key store is created with the owner certificate as its trust anchor and connected. The SO PIN and the kmsuser password are typed at their steps by their custodians and never recorded.',
  Roles: ADMINISTRATOR_AND_TWO_WITNESSES,
  Steps: [
    {
      StepId: 'prepare-room',
      Title: 'Prepare the room and the HSMs',
      Instructions: [
        ROSTER_CHECK,
        'Check that the console is offline (no network cable, radios off) and that the audit trail is intact (Audit page: chain verified).',
        'For each of the two HSMs: check the tamper-evident bag or seal number against the inventory, unpack it, and compare its serial number with the one written in the ceremony plan. The two HSMs must be in different zones (separate rooms, racks or sites).',
        'On the Modules page, check that each HSM’s PKCS#11 module is registered and that its token shows the expected serial number. Note the ModuleId and token serial of each HSM: they are asked for at the next steps.',
        'The SO PIN custodian and the kmsuser password custodian confirm they hold their sealed envelopes (or are ready to choose the secrets now) and that nobody else has seen them.',
      ].join('\n'),
      WitnessSignOffs: 2,
    },
    {
      StepId: 'create-cluster',
      Title: 'Create the HSM cluster',
      Instructions:
        'The administrator creates the cluster under the name in the ceremony plan. Witnesses check that the name shown matches the plan and that the cluster is UNINITIALIZED. Write the ClusterId on the paper log.',
      Operation: 'CreateCluster',
      Input: { ClusterName: '${ClusterName}', Description: '${ClusterDescription}', AllowSingleHsm: false },
      Parameters: [
        { Name: 'ClusterName', Label: 'Cluster name (letters, digits, space, . _ -)' },
        { Name: 'ClusterDescription', Label: 'Description (purpose, owner, ceremony reference)' },
      ],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'ClusterId', From: 'ClusterId', Kind: 'VALUE' },
        { Name: 'State', From: 'State', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'add-hsm-zone-a',
      Title: 'Add the first HSM (first zone)',
      Instructions:
        'Add the first HSM by its module and token serial, in the first zone. Witnesses compare the token serial typed with the serial on the device and on the inventory sheet.',
      Operation: 'CreateHsm',
      Input: { ClusterId: CLUSTER_ID, ModuleId: '${ModuleId}', TokenSerial: '${TokenSerial}', Zone: '${Zone}' },
      Parameters: [
        { Name: 'ModuleId', Label: 'ModuleId of the first HSM’s PKCS#11 module' },
        { Name: 'TokenSerial', Label: 'Token serial number of the first HSM' },
        { Name: 'Zone', Label: 'Zone of the first HSM (e.g. zone-a)' },
      ],
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'HsmId', From: 'HsmId', Kind: 'VALUE' }],
    },
    {
      StepId: 'add-hsm-zone-b',
      Title: 'Add the second HSM (second zone)',
      Instructions:
        'Add the second HSM by its module and token serial, in a zone different from the first. Witnesses compare the token serial typed with the serial on the device and on the inventory sheet, and check that the zone differs from the first HSM’s.',
      Operation: 'CreateHsm',
      Input: { ClusterId: CLUSTER_ID, ModuleId: '${ModuleId}', TokenSerial: '${TokenSerial}', Zone: '${Zone}' },
      Parameters: [
        { Name: 'ModuleId', Label: 'ModuleId of the second HSM’s PKCS#11 module' },
        { Name: 'TokenSerial', Label: 'Token serial number of the second HSM' },
        { Name: 'Zone', Label: 'Zone of the second HSM (e.g. zone-b)' },
      ],
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'HsmId', From: 'HsmId', Kind: 'VALUE' }],
    },
    {
      StepId: 'check-members',
      Title: 'Check the cluster members',
      Instructions:
        'Read the cluster back. Witnesses check that it has exactly two HSMs, in two different zones, both reachable, and no member they do not expect.',
      Operation: 'DescribeCluster',
      Input: { ClusterId: CLUSTER_ID },
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'HsmCount', From: 'Cluster.HsmCount', Kind: 'VALUE' },
        { Name: 'Zones', From: 'Cluster.Zones', Kind: 'VALUE' },
        { Name: 'State', From: 'Cluster.State', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'initialize-cluster',
      Title: 'Initialize the cluster (SO PIN, owner key and certificate)',
      Instructions: [
        'The SO PIN custodian types the SO PIN; nobody else looks at the keyboard or the screen while it is typed. Every member token is initialized with it, and the cluster owner key pair, its self-signed certificate and the domain key are created inside the HSMs.',
        'Witnesses write the SHA-256 fingerprint of the owner certificate shown on the paper log; it is checked again at the next step.',
        'The custodian seals the SO PIN in a tamper-evident envelope, signs across the seal, and a witness writes the envelope number on the paper log.',
      ].join('\n'),
      Operation: 'InitializeCluster',
      Input: { ClusterId: CLUSTER_ID, SoPin: '${secret:SoPin}' },
      Parameters: [{ Name: 'SoPin', Label: 'SO PIN (typed by its custodian)', Secret: true }],
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'OwnerCertificateSha256', From: 'ClusterOwnerCertificate', Kind: 'SHA256' },
        { Name: 'State', From: 'State', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'verify-owner-certificate',
      Title: 'Read back and check the owner certificate',
      Instructions:
        'Read the ClusterOwnerCertificate back from the cluster. Witnesses check that its SHA-256 fingerprint equals the one written at the previous step. This certificate becomes the trust anchor of the private key store; keep a printed copy with the ceremony record.',
      Operation: 'GetClusterCertificate',
      Input: { ClusterId: CLUSTER_ID },
      WitnessSignOffs: 2,
      Outputs: [
        { Name: 'OwnerCertificate', From: 'ClusterOwnerCertificate', Kind: 'VALUE' },
        { Name: 'OwnerCertificateSha256', From: 'ClusterOwnerCertificate', Kind: 'SHA256' },
      ],
    },
    {
      StepId: 'create-kmsuser',
      Title: 'Create the crypto user kmsuser',
      Instructions: [
        'The kmsuser password custodian types the new kmsuser password (8 to 64 characters); the SO PIN custodian opens the SO PIN envelope and types the SO PIN. Nobody else looks.',
        'The kmsuser password is created on every member. The custodian seals it in a tamper-evident envelope; the SO PIN goes into a new envelope. A witness writes both envelope numbers on the paper log.',
      ].join('\n'),
      Operation: 'CreateCryptoUser',
      Input: { ClusterId: CLUSTER_ID, UserName: 'kmsuser', Password: '${secret:KmsuserPassword}', SoPin: '${secret:SoPin}' },
      Parameters: [
        { Name: 'KmsuserPassword', Label: 'New kmsuser password (typed by its custodian)', Secret: true },
        { Name: 'SoPin', Label: 'SO PIN (typed by its custodian)', Secret: true },
      ],
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'UserName', From: 'UserName', Kind: 'VALUE' }],
    },
    {
      StepId: 'activate-cluster',
      Title: 'Activate the cluster',
      Instructions: 'Activate the cluster. Witnesses check that its state is ACTIVE.',
      Operation: 'ActivateCluster',
      Input: { ClusterId: CLUSTER_ID },
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'State', From: 'State', Kind: 'VALUE' }],
    },
    {
      StepId: 'create-key-store',
      Title: 'Create the private key store',
      Instructions:
        'Create the private key store on the cluster, with the owner certificate checked above as its trust anchor (Keyward refuses a certificate that does not match the owner key inside the HSMs). The kmsuser password custodian types the kmsuser password. Witnesses check the key store name against the plan and write the KeyStoreId on the paper log.',
      Operation: 'CreateKeyStore',
      Input: {
        KeyStoreName: '${KeyStoreName}',
        KeyStoreType: 'HSM_CLUSTER',
        ClusterId: CLUSTER_ID,
        KeyStorePassword: '${secret:KmsuserPassword}',
        TrustAnchorCertificate: '${steps.verify-owner-certificate.OwnerCertificate}',
      },
      Parameters: [
        { Name: 'KeyStoreName', Label: 'Key store name' },
        { Name: 'KmsuserPassword', Label: 'kmsuser password (typed by its custodian)', Secret: true },
      ],
      WitnessSignOffs: 1,
      Outputs: [{ Name: 'KeyStoreId', From: 'KeyStoreId', Kind: 'VALUE' }],
    },
    {
      StepId: 'connect-key-store',
      Title: 'Connect the private key store',
      Instructions:
        'The kmsuser password custodian types the kmsuser password once more; Keyward logs kmsuser in on every member. Witnesses check that the key store is CONNECTED. The custodian seals the kmsuser password envelope again and a witness writes its number on the paper log.',
      Operation: 'ConnectKeyStore',
      Input: { KeyStoreId: '${steps.create-key-store.KeyStoreId}', KeyStorePassword: '${secret:KmsuserPassword}' },
      Parameters: [{ Name: 'KmsuserPassword', Label: 'kmsuser password (typed by its custodian)', Secret: true }],
      WitnessSignOffs: 1,
      Outputs: [
        { Name: 'ConnectionState', From: 'ConnectionState', Kind: 'VALUE' },
        { Name: 'ConnectionErrorCode', From: 'ConnectionErrorCode', Kind: 'VALUE' },
      ],
    },
    {
      StepId: 'close-ceremony',
      Title: 'Secure the secrets and close',
      Instructions:
        'Put the sealed SO PIN and kmsuser password envelopes in their safes, each in front of a witness; write the safe and envelope numbers on the paper log. Witnesses sign the paper log. The administrator then completes the ceremony and exports the signed transcript.',
      WitnessSignOffs: 2,
    },
  ],
};
