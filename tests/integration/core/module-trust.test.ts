/**
 * Issue 18, finding 1 over the dispatcher, on a real core (SQLite file, SoftHSM2 token, worker
 * processes): RegisterModule refuses loader variables before any worker starts; a library outside
 * the trusted system directories is loaded only for the officer (kms CLI, the trusted-modules
 * file, the app's confirmation); refusals and load failures say nothing about which files exist;
 * the registered environment is visible in ListModules, DescribeModule and the audit record; and a
 * registry row written before the rule is refused at load instead of being used.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../../electron/main/registry';
import { P11KIT_CLIENT_PATH } from '../../support/p11kit-server';
import { createSoftHsmFixture, SOFTHSM_MODULE_PATH, type SoftHsmFixture } from '../../support/softhsm';
import {
  copyOfSoftHsm,
  createTrustCore,
  injectionEnvironments,
  markerAppears,
  payloadScript,
  safeScratchDir,
  sharedTmpDir,
  type TrustCore,
} from '../../support/module-trust';

const isRoot = process.getuid?.() === 0;

let scratch = '';
let fixture: SoftHsmFixture;
let t: TrustCore;
let safeCopy = '';
let unsafeDir = '';

beforeAll(async () => {
  scratch = safeScratchDir('module-trust-');
  fixture = await createSoftHsmFixture('keyward-module-trust-');
  safeCopy = copyOfSoftHsm(scratch);
  unsafeDir = sharedTmpDir('keyward-untrusted-');
  chmodSync(unsafeDir, 0o777);
  t = await createTrustCore(path.join(scratch, 'data'));
});

afterAll(async () => {
  await t.close();
  await fixture.cleanup();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(unsafeDir, { recursive: true, force: true });
});

/** The message with the path taken out, to compare refusals of different paths. */
const withoutPath = (message: string, libraryPath: string): string => message.split(libraryPath).join('<path>');

describe('RegisterModule: module environment', () => {
  it('refuses NODE_OPTIONS, LD_* and PATH before any worker starts; the payload never runs', async () => {
    const marker = path.join(scratch, 'injected-marker');
    const payload = path.join(scratch, 'payload.cjs');
    writeFileSync(payload, payloadScript(marker));
    const launchesBefore = t.launcher.launches.length;
    for (const Environment of injectionEnvironments(marker, payload)) {
      for (const Path of ['/nonexistent/x.so', SOFTHSM_MODULE_PATH]) {
        const error = await t.refusal('RegisterModule', { Path, Name: 'x', Environment }, 'ws');
        expect(error.Code).toBe('InvalidParameter');
        expect(error.Message).toMatch(/is refused/);
      }
    }
    expect(await markerAppears(marker)).toBe(false);
    expect(t.launcher.launches.length).toBe(launchesBefore);
  });
});

describe('RegisterModule: library trust', () => {
  it('registers a system library over every transport', async () => {
    const output = await t.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: 'system', Environment: fixture.moduleSpec.env }, 'ws');
    expect(output.ok).toBe(true);
  });

  it.skipIf(!isRoot)('refuses a safe library outside the system directories over ws and ipc, before any worker starts; registers it over cli', async () => {
    const Environment = { SOFTHSM2_CONF: fixture.confPath };
    const launchesBefore = t.launcher.launches.length;
    for (const transport of ['ws', 'ipc', 'internal'] as const) {
      const error = await t.refusal('RegisterModule', { Path: safeCopy, Name: 'copy', Environment }, transport);
      expect(error.Code).toBe('Forbidden.UntrustedModule');
    }
    expect(t.launcher.launches.length).toBe(launchesBefore);
    const registered = await t.call('RegisterModule', { Path: safeCopy, Name: 'copy', Environment }, 'cli');
    expect(registered.ok).toBe(true);
  });

  it('refuses an existing, a missing and a world-writable untrusted library with the same error, over ws and cli', async () => {
    const unsafeCopy = copyOfSoftHsm(unsafeDir, 'libplanted.so');
    const cases = [
      ...(isRoot ? [{ path: copyOfSoftHsm(scratch, 'libother.so'), transports: ['ws'] as const }] : []),
      { path: path.join(scratch, 'absent.so'), transports: ['ws', 'cli'] as const },
      { path: '/root/.keyward-no-such-dir/lib.so', transports: ['ws', 'cli'] as const },
      { path: unsafeCopy, transports: ['ws', 'cli'] as const },
      { path: path.join(unsafeDir, 'absent.so'), transports: ['ws', 'cli'] as const },
    ];
    const messages = new Set<string>();
    for (const { path: libraryPath, transports } of cases) {
      for (const transport of transports) {
        const error = await t.refusal('RegisterModule', { Path: libraryPath, Name: 'x', Environment: { SOFTHSM2_CONF: fixture.confPath } }, transport);
        expect(error.Code).toBe('Forbidden.UntrustedModule');
        messages.add(withoutPath(error.Message, libraryPath));
      }
    }
    expect(messages.size).toBe(1);
    expect([...messages][0]).not.toMatch(/exist|no such|ELF|permission/i);
  });

  it('a load failure does not repeat the loader: the same fixed message for a non-library and a library that fails', async () => {
    const notALibrary = path.join(scratch, 'notes.so');
    writeFileSync(notALibrary, 'plain text, not ELF\n', { mode: 0o644 });
    const failures = [
      await t.refusal('RegisterModule', { Path: notALibrary, Name: 'x' }, 'cli'),
      await t.refusal('RegisterModule', { Path: '/usr/lib/x86_64-linux-gnu/libz.so.1', Name: 'x' }, 'ws'),
    ];
    for (const [index, error] of failures.entries()) {
      expect(error.Code).toBe('HsmError.ModuleLoadFailed');
      expect(error.Message).not.toMatch(/ELF|No such file|symbol|C_GetFunctionList|cannot open/i);
      expect(withoutPath(error.Message, index === 0 ? notALibrary : '/usr/lib/x86_64-linux-gnu/libz.so.1')).toBe(
        '<path> could not be loaded and initialized as a PKCS#11 module.',
      );
    }
  });

  it.skipIf(!isRoot)('the trusted-modules file approves a listed library, only while it is private to the officer', async () => {
    const listed = copyOfSoftHsm(scratch, 'liblisted.so');
    const listFile = path.join(scratch, 'data', 'trusted-modules');
    const input = { Path: listed, Name: 'listed', Environment: { SOFTHSM2_CONF: fixture.confPath } };
    writeFileSync(listFile, `# approved by the officer\n${listed}\n`, { mode: 0o644 });
    chmodSync(listFile, 0o644);
    expect((await t.refusal('RegisterModule', input, 'ws')).Code).toBe('Forbidden.UntrustedModule');
    chmodSync(listFile, 0o600);
    expect((await t.call('RegisterModule', input, 'ws')).ok).toBe(true);
    // Listing never overrides the safety rule.
    const planted = copyOfSoftHsm(unsafeDir, 'liblisted-planted.so');
    writeFileSync(listFile, `${planted}\n`, { mode: 0o600 });
    expect((await t.refusal('RegisterModule', { ...input, Path: planted }, 'ws')).Code).toBe('Forbidden.UntrustedModule');
    rmSync(listFile);
  });
});

describe.skipIf(!isRoot)('RegisterModule: the confirmation of the Electron main process', () => {
  it('asks for a safe untrusted library only, and follows the answer', async () => {
    const asked: string[] = [];
    let answer = false;
    const dataDir = path.join(scratch, 'data-confirm');
    const confirming = await createTrustCore(dataDir, {
      confirmUntrustedModule: async (libraryPath) => {
        asked.push(libraryPath);
        return answer;
      },
    });
    try {
      const copy = copyOfSoftHsm(scratch, 'libconfirm.so');
      const input = { Path: copy, Name: 'confirm', Environment: { SOFTHSM2_CONF: fixture.confPath } };
      expect((await confirming.refusal('RegisterModule', input, 'ipc')).Code).toBe('Forbidden.UntrustedModule');
      answer = true;
      expect((await confirming.call('RegisterModule', input, 'ipc')).ok).toBe(true);
      // Never asked for a system library, nor for what is refused anyway.
      await confirming.call('RegisterModule', { Path: SOFTHSM_MODULE_PATH, Name: 'system', Environment: { SOFTHSM2_CONF: fixture.confPath } }, 'ipc');
      const planted = copyOfSoftHsm(unsafeDir, 'libconfirm-planted.so');
      expect((await confirming.refusal('RegisterModule', { ...input, Path: planted }, 'ipc')).Code).toBe('Forbidden.UntrustedModule');
      expect(asked).toEqual([copy, copy]);
    } finally {
      await confirming.close();
    }
  });
});

describe('the registered environment is visible', () => {
  it('in ListModules, DescribeModule and the RegisterModule audit record', async () => {
    // p11-kit's client initializes without its server (no slots), so no server is needed here.
    const Environment = { P11_KIT_SERVER_ADDRESS: `unix:path=${path.join(fixture.dir, 'nowhere.sock')}` };
    const registered = await t.call('RegisterModule', { Path: P11KIT_CLIENT_PATH, Name: 'network', Environment }, 'ws');
    if (!registered.ok) throw new Error(registered.error.Message);
    const { ModuleId } = registered.output as { ModuleId: string };

    const list = await t.call('ListModules', {}, 'ws');
    if (!list.ok) throw new Error(list.error.Message);
    const modules = (list.output as { Modules: { ModuleId: string; Environment: Record<string, string> }[] }).Modules;
    expect(modules.find((module) => module.ModuleId === ModuleId)?.Environment).toEqual(Environment);
    expect(modules.find((module) => module.ModuleId === 'mod-softhsm2')?.Environment).toEqual({
      SOFTHSM2_CONF: path.join(scratch, 'data', 'softhsm', 'softhsm2.conf'),
    });

    const described = await t.call('DescribeModule', { ModuleId }, 'ws');
    if (!described.ok) throw new Error(described.error.Message);
    expect((described.output as { Module: { Environment: Record<string, string> } }).Module.Environment).toEqual(Environment);

    const events = await t.call('ListAuditEvents', { Filters: [{ Key: 'ResourceId', Values: [ModuleId] }] }, 'ws');
    if (!events.ok) throw new Error(events.error.Message);
    const record = (events.output as { Events: { Operation: string; Details: Record<string, unknown> }[] }).Events.find((event) => event.Operation === 'RegisterModule');
    expect(record?.Details).toEqual({ Path: P11KIT_CLIENT_PATH, Name: 'network', Environment: JSON.stringify(Environment) });
  });
});

describe('a registry row from before the rule', () => {
  it('is refused at load with a clear error, and its payload never runs', async () => {
    const dataDir = path.join(scratch, 'data-legacy');
    const marker = path.join(scratch, 'legacy-marker');
    const payload = path.join(scratch, 'legacy-payload.cjs');
    writeFileSync(payload, payloadScript(marker));
    const first = await createTrustCore(dataDir);
    await first.close();
    const registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
    registry.modules.insert({
      id: 'mod-legacy',
      name: 'legacy',
      path: SOFTHSM_MODULE_PATH,
      envJson: JSON.stringify({ SOFTHSM2_CONF: fixture.confPath, NODE_OPTIONS: `--require=${payload}` }),
      builtin: false,
      createdAt: new Date().toISOString(),
    });
    registry.close();

    const reopened = await createTrustCore(dataDir);
    try {
      const error = await reopened.refusal('DescribeModule', { ModuleId: 'mod-legacy' }, 'ws');
      expect(error.Code).toBe('HsmError.ModuleLoadFailed');
      expect(error.Message).toMatch(/NODE_OPTIONS is refused.*Deregister the module/);
      expect(await markerAppears(marker)).toBe(false);
    } finally {
      await reopened.core.close();
    }
  });
});
