/**
 * The seeds' set-up flow, shared by the cluster suites: register modules, create the cluster, add
 * the HSMs, initialize, create kmsuser, activate, create and connect the private key store.
 */
import { HsmModuleClient } from '../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import type { ModuleSpec } from '../../electron/main/hsm/types';
import { objectIdOfVersion } from '../../electron/main/services/keys/key-identifiers';
import { SOFTHSM_MODULE_PATH, type SoftHsmFixture } from './softhsm';
import type { TestCore } from './test-core';

export const SO_PIN = 'cluster-So-4711';
export const KMSUSER_PASSWORD = 'Kmsuser2026pw';

export interface MemberPlan {
  moduleName: string;
  path: string;
  environment: Record<string, string>;
  zone: string;
  /** A module registered already (by an earlier cluster of the suite). */
  moduleId?: string;
  /** Initialized token by serial, or (when absent) the first slot with an uninitialized token. */
  tokenSerial?: string;
}

export interface ClusterSetUp {
  clusterId: string;
  hsmIds: string[];
  moduleIds: string[];
}

/** A member on a SoftHSM2 fixture: members of one fixture share one module (one worker process). */
export function softHsmMember(fixture: SoftHsmFixture, zone: string, extra: Partial<MemberPlan> = {}): MemberPlan {
  return { moduleName: 'SoftHSM2 lab', path: SOFTHSM_MODULE_PATH, environment: { SOFTHSM2_CONF: fixture.confPath }, zone, ...extra };
}

/** Registers each distinct module once and adds every member; returns ids in member order. */
export async function createClusterWithMembers(test: Pick<TestCore, 'call'>, name: string, members: MemberPlan[], allowSingleHsm = false): Promise<ClusterSetUp> {
  const { ClusterId } = await test.call('CreateCluster', { ClusterName: name, Description: `${name} (test)`, AllowSingleHsm: allowSingleHsm });
  const moduleIds: string[] = [];
  const hsmIds: string[] = [];
  const registered = new Map<string, string>();
  for (const member of members) {
    const key = JSON.stringify([member.path, member.environment]);
    let moduleId = member.moduleId ?? registered.get(key);
    if (!moduleId) {
      moduleId = (await test.call('RegisterModule', { Path: member.path, Name: member.moduleName, Environment: member.environment })).ModuleId;
      registered.set(key, moduleId);
    }
    moduleIds.push(moduleId);
    let target: { TokenSerial: string } | { SlotId: number };
    if (member.tokenSerial) {
      target = { TokenSerial: member.tokenSerial };
    } else {
      const { Module } = await test.call('DescribeModule', { ModuleId: moduleId });
      const spare = Module.Slots.find((slot) => slot.Token && !slot.Token.Initialized);
      if (!spare) throw new Error(`module ${member.moduleName} has no uninitialized token`);
      target = { SlotId: spare.SlotId };
    }
    hsmIds.push((await test.call('CreateHsm', { ClusterId, ModuleId: moduleId, Zone: member.zone, ...target })).HsmId);
  }
  return { clusterId: ClusterId, hsmIds, moduleIds };
}

/** InitializeCluster → CreateCryptoUser → ActivateCluster → CreateKeyStore → ConnectKeyStore. */
export async function bringUpKeyStore(test: Pick<TestCore, 'call'>, setUp: ClusterSetUp, storeName: string): Promise<{ keyStoreId: string; certificate: string }> {
  const initialized = await test.call('InitializeCluster', { ClusterId: setUp.clusterId, SoPin: SO_PIN });
  await test.call('CreateCryptoUser', { ClusterId: setUp.clusterId, UserName: 'kmsuser', Password: KMSUSER_PASSWORD, SoPin: SO_PIN });
  await test.call('ActivateCluster', { ClusterId: setUp.clusterId });
  const { KeyStoreId } = await test.call('CreateKeyStore', {
    KeyStoreName: storeName,
    ClusterId: setUp.clusterId,
    KeyStorePassword: KMSUSER_PASSWORD,
    TrustAnchorCertificate: initialized.ClusterOwnerCertificate,
  });
  await test.call('ConnectKeyStore', { KeyStoreId, KeyStorePassword: KMSUSER_PASSWORD });
  return { keyStoreId: KeyStoreId, certificate: initialized.ClusterOwnerCertificate };
}

/**
 * Looks at a member token from outside Keyward (its own worker, logged in as kmsuser) and reports
 * the attributes of a key version's objects: proof that the key lives on that HSM.
 */
export async function inspectVersion(spec: ModuleSpec, serial: string, versionId: string) {
  const client = new HsmModuleClient(spec, { launcher: createNodeWorkerLauncher() });
  try {
    await client.login({ serial, userPin: KMSUSER_PASSWORD });
    const objectId = objectIdOfVersion(versionId);
    if (!(await client.keyExists({ serial, objectId }))) return [];
    return await client.describeKey({ serial, objectId });
  } finally {
    await client.close();
  }
}
