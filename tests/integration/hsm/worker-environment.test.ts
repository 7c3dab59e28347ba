/**
 * Issue 18, findings 1 and 4: PKCS#11 workers inherited the parent's whole environment, key store
 * passwords included (seen in /proc/<worker>/environ). A worker now starts from the fixed base plus
 * its module's allowlisted variables. Checked on real worker processes, from the kernel's view.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { createNodeWorkerLauncher } from '../../../electron/main/hsm/node-launcher';
import { WORKER_BASE_ENVIRONMENT } from '../../../electron/main/hsm/worker-environment';
import { CANARY_PASSWORD, createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { childProcessesWith, environOf } from '../../support/module-trust';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';

/** Node's own IPC channel variables, which fork() adds for the worker. */
const NODE_CHANNEL = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];
const PARENT_ONLY = {
  KW_PARENT_CANARY: 'parent-canary-value',
  KMS_DEFAULT_KEYSTORE_PASSWORD: CANARY_PASSWORD,
  KMS_CLUSTER_KEYSTORE_PASSWORD: CANARY_PASSWORD,
  NODE_OPTIONS: '--max-old-space-size=4096',
  LD_LIBRARY_PATH: '/nonexistent/ld',
};

let fixture: SoftHsmFixture;

beforeAll(async () => {
  fixture = await createSoftHsmFixture('keyward-worker-env-');
});

afterAll(async () => {
  await fixture.cleanup();
});

function setParentEnvironment(): void {
  Object.assign(process.env, PARENT_ONLY);
}

afterEach(() => {
  for (const name of Object.keys(PARENT_ONLY)) delete process.env[name];
});

function expectOnlyBaseAndModule(environ: Record<string, string>, moduleEnv: Record<string, string>): void {
  const serialized = Object.entries(environ).map(([name, value]) => `${name}=${value}`).join('\n');
  // Booleans, so that a failure does not print the environment (and the canary password) itself.
  expect(serialized.includes(CANARY_PASSWORD), 'a parent password reached the worker').toBe(false);
  expect(serialized.includes('parent-canary-value'), 'a parent variable reached the worker').toBe(false);
  const { NODE_CHANNEL_FD: _fd, NODE_CHANNEL_SERIALIZATION_MODE: _mode, ...rest } = environ;
  expect(Object.keys(rest).sort()).toEqual(Object.keys({ ...WORKER_BASE_ENVIRONMENT, ...moduleEnv }).sort());
  expect(rest).toEqual({ ...WORKER_BASE_ENVIRONMENT, ...moduleEnv });
  expect(Object.keys(environ).filter((name) => !(name in rest)).every((name) => NODE_CHANNEL.includes(name))).toBe(true);
}

describe('worker environment', () => {
  it("holds none of the parent's variables, only the base and the module's own", async () => {
    setParentEnvironment();
    const client = new HsmModuleClient(fixture.moduleSpec, { launcher: createNodeWorkerLauncher() });
    try {
      await client.libraryInfo();
      const pid = client.workerPid;
      expect(pid).toBeTypeOf('number');
      expectOnlyBaseAndModule(environOf(pid as number), fixture.moduleSpec.env);
    } finally {
      await client.close();
    }
  });

  it("of the default key store's worker inside a core started with passwords in its environment", async () => {
    setParentEnvironment();
    let t: TestCore | null = null;
    try {
      t = await createTestCore();
      const conf = path.join(t.dataDir, 'softhsm', 'softhsm2.conf');
      await t.call('DescribeModule', { ModuleId: 'mod-softhsm2' });
      const workers = childProcessesWith('SOFTHSM2_CONF', conf);
      expect(workers.length).toBeGreaterThan(0);
      for (const pid of workers) expectOnlyBaseAndModule(environOf(pid), { SOFTHSM2_CONF: conf });
    } finally {
      await t?.close();
      if (t) removeDir(t.dataDir);
    }
  });
});
