/**
 * `npm run endpoint` (build/endpoint.mjs): the application endpoint without a console, on a data
 * directory set up beforehand; the password arrives on standard input, SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createTestCore, removeDir, type TestCore } from '../../support/test-core';
import { createAccess, kmsClient, type ClientKey } from './endpoint-fixture';

describe('npm run endpoint', () => {
  let dataDir: string;
  let clientKey: ClientKey;

  beforeAll(async () => {
    const t: TestCore = await createTestCore();
    dataDir = t.dataDir;
    await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
    ({ clientKey } = await createAccess(t));
    await t.call('CreateKey', { Alias: 'alias/headless' } as never);
    await t.close();
  }, 180_000);
  afterAll(() => removeDir(dataDir));

  it('refuses to start with a wrong password, without echoing it', async () => {
    const wrong = 'Wrong-Password-Canary-77';
    const child = spawn(process.execPath, [path.join('build', 'endpoint.mjs'), '--data-dir', dataDir, '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KMS_DEFAULT_KEYSTORE_PASSWORD: wrong } });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output).toMatch(/"Code":"[A-Za-z.]+"/);
    expect(output).not.toContain(wrong);
  }, 120_000);

  it('serves applications until SIGTERM, then stops the endpoint and exits 0', async () => {
    const child = spawn(process.execPath, [path.join('build', 'endpoint.mjs'), '--data-dir', dataDir, '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdin.end(`${CANARY_PASSWORD}\n`);
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const described = JSON.parse(line.toString()) as { State: string; Port: number };
    expect(described.State).toBe('RUNNING');

    const encrypted = await kmsClient(described.Port, clientKey).send(new EncryptCommand({ KeyId: 'alias/headless', Plaintext: Buffer.from('headless') }));
    expect(encrypted.CiphertextBlob?.length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toContain(CANARY_PASSWORD);

    // Closing the core stopped the endpoint, and said so in the audit trail.
    const reopened = await createTestCore(dataDir);
    try {
      const { Events } = await reopened.call('ListAuditEvents', { PageSize: 10, Filters: [{ Key: 'Operation', Values: ['StopApplicationEndpoint'] }] } as never);
      expect(Events.map((event) => `${event.Outcome}:${event.Actor}`)).toEqual(['SUCCESS:keyward']);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
