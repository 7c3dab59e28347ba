/**
 * The set-up flow through `kms`, one process per operation as an operator would type it: PINs and
 * passwords from --pin-env, a single-HSM lab cluster, kmsuser, the private key store, and a CMK
 * used in a later process (KMS_CLUSTER_KEYSTORE_PASSWORD connects the cluster store per process).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKms } from '../../support/run-cli';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { createTestCore, removeDir } from '../../support/test-core';
import { createClusterWithMembers, KMSUSER_PASSWORD, SO_PIN, softHsmMember } from '../../support/cluster-flow';

describe('kms CLI: HSM cluster set-up', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-cli-cluster-'));
  const env = { KMS_DATA_DIR: dataDir, CLUSTER_SO_PIN: SO_PIN, KMSUSER_PW: KMSUSER_PASSWORD };
  let fixture: SoftHsmFixture;

  async function kms(args: string[], extraEnv: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const result = await runKms(args, { env: { ...env, ...extraEnv } });
    expect(result.code, `${args[0]}: ${result.stderr}`).toBe(0);
    return result.json;
  }

  beforeAll(async () => {
    fixture = await createSoftHsmFixture();
  });
  afterAll(async () => {
    await fixture.cleanup();
    removeDir(dataDir);
  });

  it('runs the secret-bearing set-up steps and the key store use, one process per operation', async () => {
    // The plain registry steps run in-process (they are covered there); the CLI takes over from
    // the first step that needs a PIN.
    const core = await createTestCore(dataDir);
    const listed = await core.call('ListModules', {});
    expect(listed.Suggestions).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'p11-kit network HSM client', NetworkClient: true })]));
    const { clusterId: ClusterId } = await createClusterWithMembers(
      core,
      'cli-lab',
      [softHsmMember(fixture, 'lab', { moduleName: 'lab SoftHSM2' })],
      true,
    );
    await core.close();

    const initialized = (await kms(['InitializeCluster', '--ClusterId', ClusterId, '--pin-env', 'CLUSTER_SO_PIN'])) as { ClusterOwnerCertificate: string };
    await kms(['CreateCryptoUser', '--cli-input-json', JSON.stringify({ ClusterId, UserName: 'kmsuser', SoPin: SO_PIN }), '--pin-env', 'KMSUSER_PW']);
    expect(await kms(['ActivateCluster', '--ClusterId', ClusterId])).toMatchObject({ State: 'ACTIVE', LabCluster: true });
    const { KeyStoreId } = (await kms([
      'CreateKeyStore',
      '--cli-input-json',
      JSON.stringify({ KeyStoreName: 'cli-store', ClusterId, TrustAnchorCertificate: initialized.ClusterOwnerCertificate }),
      '--pin-env',
      'KMSUSER_PW',
    ])) as { KeyStoreId: string };

    const connected = { KMS_CLUSTER_KEYSTORE_PASSWORD: KMSUSER_PASSWORD };
    const created = (await kms(['CreateKey', '--KeySpec', 'Aliyun_AES_256', '--KeyStoreId', KeyStoreId], connected)) as {
      KeyMetadata: { KeyId: string; ProtectionLevel: string };
    };
    expect(created.KeyMetadata.ProtectionLevel).toBe('HSM');
    const plaintext = Buffer.from('typed at the console').toString('base64');
    expect(await kms(['Encrypt', '--KeyId', created.KeyMetadata.KeyId, '--Plaintext', plaintext], connected)).toMatchObject({
      KeyId: created.KeyMetadata.KeyId,
    });

    const refused = await runKms(['CreateKey', '--KeySpec', 'Aliyun_AES_256', '--KeyStoreId', KeyStoreId], { env });
    expect(refused.code).toBe(1);
    expect(refused.json.Code).toBe('Forbidden.KeyStoreState');
  });
});
