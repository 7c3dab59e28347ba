/**
 * An external key store whose XKS proxy misbehaves. Core A serves a real XKS proxy; core B reaches
 * it only through a fault proxy (its own TLS certificate, which is B's XksProxyCaCertificate) that
 * forwards B's signed requests untouched, so A checks B's real SigV4 signature, or misbehaves on
 * demand. Each fault must fail B's call with its own code within a bound (never a hang), show in
 * XksProxyHealth, lose nothing, and leave B working again once it is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionErrorCode } from '../../../shared/contract';
import type { KmsErrorBody } from '../../../shared/errors';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { FaultProxy, type Fault } from './xks-fault-proxy';
import { selfSignedIdentity, type TestTlsIdentity } from './xks-test-tls';

/** A misbehaviour of the fault proxy, or the proxy stopped, or serving a certificate B was not told to trust. */
type Condition = Fault | 'stopped' | 'foreign-certificate';
type Row<Rest extends unknown[]> = [name: string, condition: Condition, ...rest: Rest];

const b64 = (data: string): string => Buffer.from(data).toString('base64');
/** XKS_CALL_TIMEOUT_MS is 1,000 ms; a call may take that plus Keyward's own work, never much more. */
const CALL_BOUND_MS = 2_500;
const SLOW: Fault = { kind: 'slow', delayMs: 1_500 };
const MALFORMED: Fault = { kind: 'answer', status: 200, body: 'this is not json {' };
const TRUNCATED: Fault = { kind: 'answer', status: 200, body: '{"plaintext":"AAAAAAAA' };
const UNAUTHENTICATED: Fault = { kind: 'answer', status: 401, body: JSON.stringify({ errorName: 'AuthenticationFailedException', errorMessage: 'signature mismatch' }) };

describe('External key store faults between Keyward and its XKS proxy', () => {
  let proxyCore: TestCore;
  let core: TestCore;
  let faults: FaultProxy;
  let ownIdentity: TestTlsIdentity;
  let strangerIdentity: TestTlsIdentity;
  let secret: string;
  let externalKeyAtProxy: string;
  let keyStoreId: string;
  let keyId: string;
  /** Made before any fault: must open after every one. */
  let madeBefore: string;

  /** Runs a call of core B and checks it returned (either way) within the bound. */
  async function timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await call();
    expect(performance.now() - started).toBeLessThan(CALL_BOUND_MS);
    return result;
  }

  async function failsWith(operation: string, input: object, code: string): Promise<KmsErrorBody> {
    const error = await timed(() => core.fail(operation, input));
    expect(error.Code, error.Message).toBe(code);
    return error;
  }

  async function store(): Promise<{ ConnectionState?: string; ConnectionErrorCode?: string | null; XksProxyHealth?: { ErrorCode: string | null } | null }> {
    const [found] = (await core.call('DescribeKeyStores', { KeyStoreId: keyStoreId })).KeyStores;
    if (!found) throw new Error(`Key store ${keyStoreId} is not described.`);
    return found;
  }

  async function keysInStore(): Promise<string[]> {
    const { Keys } = await core.call('ListKeys', { PageSize: 100, Filters: [{ Key: 'KeyStoreId', Values: [keyStoreId] }] } as never);
    return Keys.map((key) => key.KeyId).sort();
  }

  async function opensMadeBefore(): Promise<void> {
    const opened = await timed(() => core.call('Decrypt', { CiphertextBlob: madeBefore }));
    expect(Buffer.from(opened.Plaintext, 'base64').toString()).toBe('made before the faults');
  }

  /** Applies a fault (a stopped proxy, a foreign certificate, or a misbehaviour) and undoes it. */
  async function during(fault: Condition, work: () => Promise<void>): Promise<void> {
    if (fault === 'stopped') await faults.stop();
    else if (fault === 'foreign-certificate') await faults.useIdentity(strangerIdentity);
    else faults.fault = fault;
    try {
      await work();
    } finally {
      faults.fault = { kind: 'pass' };
      if (fault === 'stopped') await faults.start();
      if (fault === 'foreign-certificate') await faults.useIdentity(ownIdentity);
    }
  }

  beforeAll(async () => {
    [proxyCore, core] = await Promise.all([createInitializedTestCore(), createInitializedTestCore()]);
    [ownIdentity, strangerIdentity] = [selfSignedIdentity('keyward-fault-proxy'), selfSignedIdentity('someone-else')];
    externalKeyAtProxy = (await proxyCore.call('CreateKey', { Alias: 'alias/held-for-b' } as never)).KeyMetadata.KeyId;
    const credential = await proxyCore.call('CreateXksProxy', { Name: 'for-b', UriPath: '/for-b', KeyStoreId: 'kst-default' });
    secret = credential.SecretAccessKey;
    const upstreamPort = (await proxyCore.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
    const upstreamCa = (await proxyCore.call('GetInstanceCaCertificate', {})).CaCertificate;
    faults = new FaultProxy(ownIdentity, { port: upstreamPort, ca: upstreamCa });
    await faults.start();
    keyStoreId = (
      await core.call('CreateKeyStore', {
        KeyStoreName: 'behind-faults',
        KeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: faults.endpoint,
        XksProxyUriPath: '/for-b/kms/xks/v1',
        XksProxyAuthenticationCredential: { AccessKeyId: credential.AccessKeyId, RawSecretAccessKey: secret },
        XksProxyCaCertificate: ownIdentity.cert,
      })
    ).KeyStoreId;
    expect((await core.call('ConnectKeyStore', { KeyStoreId: keyStoreId })).ConnectionState).toBe('CONNECTED');
    keyId = (await core.call('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy } as never)).KeyMetadata.KeyId;
    madeBefore = (await core.call('Encrypt', { KeyId: keyId, Plaintext: b64('made before the faults') })).CiphertextBlob;
  }, 240_000);
  afterAll(async () => {
    await faults?.close();
    await Promise.all([core && disposeTestCore(core), proxyCore && disposeTestCore(proxyCore)]);
  });

  it('passes B’s own signed calls through to A, which checks B’s signature on them', async () => {
    const before = faults.requests;
    await opensMadeBefore();
    expect(faults.requests).toBe(before + 1);
    // A checks what B signed, not merely that something was signed: one byte more on the way is refused.
    await during({ kind: 'alter-request' }, async () => {
      await failsWith('Decrypt', { CiphertextBlob: madeBefore }, 'XksProxy.AccessDenied');
    });
    const { Events } = await proxyCore.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['XksDecrypt'] }] } as never);
    expect(Events.map((event) => event.Outcome)).toEqual(expect.arrayContaining(['SUCCESS', 'FAILURE']));
    await opensMadeBefore();
  });

  const connectFaults: Array<Row<[string, ConnectionErrorCode]>> = [
    ['a stopped proxy', 'stopped', 'XksProxy.Unreachable', 'XKS_PROXY_NOT_REACHABLE'],
    ['an answer later than the deadline', SLOW, 'XksProxy.TimedOut', 'XKS_PROXY_TIMED_OUT'],
    ['malformed JSON', MALFORMED, 'XksProxy.InvalidResponse', 'XKS_PROXY_INVALID_RESPONSE'],
    ['a truncated JSON body', TRUNCATED, 'XksProxy.InvalidResponse', 'XKS_PROXY_INVALID_RESPONSE'],
    ['a connection cut mid-body', { kind: 'cut' }, 'XksProxy.Unreachable', 'XKS_PROXY_NOT_REACHABLE'],
    ['HTTP 401 AuthenticationFailedException', UNAUTHENTICATED, 'XksProxy.AccessDenied', 'XKS_PROXY_ACCESS_DENIED'],
    [
      'a health answer missing fields',
      { kind: 'edit', route: '/health', edit: ({ ekmFleetDetails: _dropped, xksProxyFleetSize: _alsoDropped, ...rest }) => rest },
      'XksProxy.InvalidResponse',
      'XKS_PROXY_INVALID_RESPONSE',
    ],
    ['a certificate the configured CA did not issue', 'foreign-certificate', 'XksProxy.InvalidTlsConfiguration', 'XKS_PROXY_INVALID_TLS_CONFIGURATION'],
  ];

  it.each(connectFaults)('ConnectKeyStore meeting %s ends FAILED, and connects once it is gone', async (_name, fault, code, connectionError) => {
    await core.call('DisconnectKeyStore', { KeyStoreId: keyStoreId });
    await during(fault, async () => {
      await failsWith('ConnectKeyStore', { KeyStoreId: keyStoreId }, code);
      const failed = await store();
      expect([failed.ConnectionState, failed.ConnectionErrorCode, failed.XksProxyHealth?.ErrorCode]).toEqual(['FAILED', connectionError, code]);
      expect((await core.fail('Encrypt', { KeyId: keyId, Plaintext: b64('x') })).Code).toBe('Forbidden.KeyStoreState');
    });
    expect((await timed(() => core.call('ConnectKeyStore', { KeyStoreId: keyStoreId }))).ConnectionState).toBe('CONNECTED');
    const back = await store();
    expect([back.ConnectionState, back.ConnectionErrorCode, back.XksProxyHealth?.ErrorCode]).toEqual(['CONNECTED', null, null]);
    await opensMadeBefore();
  });

  const integrityOf = (answer: Record<string, unknown>): Record<string, unknown> => ({ ...answer, ciphertextDataIntegrityValue: Buffer.alloc(32, 7).toString('base64') });
  const longerCiphertext = (answer: Record<string, unknown>): Record<string, unknown> => ({ ...answer, ciphertext: Buffer.concat([Buffer.from(String(answer.ciphertext), 'base64'), Buffer.alloc(1)]).toString('base64') });
  const longerPlaintext = (answer: Record<string, unknown>): Record<string, unknown> => ({ ...answer, plaintext: Buffer.concat([Buffer.from(String(answer.plaintext), 'base64'), Buffer.alloc(1)]).toString('base64') });
  // Built when the test runs: keyId and madeBefore exist only after beforeAll.
  const inputs = {
    Encrypt: (): object => ({ KeyId: keyId, Plaintext: b64('during a fault') }),
    Decrypt: (): object => ({ CiphertextBlob: madeBefore }),
    GenerateDataKey: (): object => ({ KeyId: keyId, KeySpec: 'AES_256' }),
  };
  const [encrypt, decrypt, dataKey] = ['Encrypt', 'Decrypt', 'GenerateDataKey'] as const;
  const callFaults: Array<Row<[keyof typeof inputs, string]>> = [
    ['a stopped proxy', 'stopped', decrypt, 'XksProxy.Unreachable'],
    ['an answer later than the deadline (Encrypt)', SLOW, encrypt, 'XksProxy.TimedOut'],
    ['an answer later than the deadline (Decrypt)', SLOW, decrypt, 'XksProxy.TimedOut'],
    ['malformed JSON', MALFORMED, dataKey, 'XksProxy.InvalidResponse'],
    ['a truncated JSON body', TRUNCATED, decrypt, 'XksProxy.InvalidResponse'],
    ['a connection cut mid-body', { kind: 'cut' }, encrypt, 'XksProxy.Unreachable'],
    ['HTTP 401 AuthenticationFailedException', UNAUTHENTICATED, dataKey, 'XksProxy.AccessDenied'],
    ['a wrong ciphertextDataIntegrityValue', { kind: 'edit', route: '/encrypt', edit: integrityOf }, encrypt, 'XksProxy.InvalidResponse'],
    ['a ciphertext of the wrong length', { kind: 'edit', route: '/encrypt', edit: longerCiphertext }, dataKey, 'XksProxy.InvalidResponse'],
    ['a plaintext of the wrong length', { kind: 'edit', route: '/decrypt', edit: longerPlaintext }, decrypt, 'XksProxy.InvalidResponse'],
    ['a certificate the configured CA did not issue', 'foreign-certificate', encrypt, 'XksProxy.InvalidTlsConfiguration'],
  ];

  it.each(callFaults)('a connected store’s call meeting %s fails with its code, and works again after', async (_name, fault, name, code) => {
    const input = inputs[name]();
    await during(fault, async () => {
      await failsWith(name, input, code);
      const during = await store();
      // The store stays CONNECTED: the proxy may come back, and its health tells what the last call found.
      expect([during.ConnectionState, during.XksProxyHealth?.ErrorCode]).toEqual(['CONNECTED', code]);
    });
    await timed(() => core.call(name, input as never));
    expect((await store()).XksProxyHealth?.ErrorCode).toBeNull();
    await opensMadeBefore();
  });

  const createFaults: Array<Row<[string]>> = [
    ['metadata reporting keySpec RSA_2048', { kind: 'edit', route: '/metadata', edit: (answer) => ({ ...answer, keySpec: 'RSA_2048' }) }, 'XksKey.InvalidConfiguration'],
    ['metadata reporting keyUsage without DECRYPT', { kind: 'edit', route: '/metadata', edit: (answer) => ({ ...answer, keyUsage: ['ENCRYPT'] }) }, 'XksKey.InvalidConfiguration'],
    ['metadata reporting keyStatus DISABLED', { kind: 'edit', route: '/metadata', edit: (answer) => ({ ...answer, keyStatus: 'DISABLED' }) }, 'XksKey.InvalidState'],
    ['a metadata answer missing keyStatus', { kind: 'edit', route: '/metadata', edit: ({ keyStatus: _dropped, ...rest }) => rest }, 'XksProxy.InvalidResponse'],
    ['an answer later than the deadline', SLOW, 'XksProxy.TimedOut'],
    ['HTTP 401 AuthenticationFailedException', UNAUTHENTICATED, 'XksProxy.AccessDenied'],
  ];

  it.each(createFaults)('CreateKey meeting %s is refused and creates nothing', async (_name, fault, code) => {
    const keysBefore = await keysInStore();
    await during(fault, async () => {
      await failsWith('CreateKey', { KeyStoreId: keyStoreId, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: externalKeyAtProxy }, code);
    });
    expect(await keysInStore()).toEqual(keysBefore);
  });

  it('lost nothing: the keys are there, old ciphertexts open, the audit chain holds and never shows the secret', async () => {
    expect(await keysInStore()).toEqual([keyId]);
    expect((await core.call('DescribeKey', { KeyId: keyId } as never)).KeyMetadata.KeyState).toBe('Enabled');
    await opensMadeBefore();
    expect((await store()).XksProxyHealth?.ErrorCode).toBeNull();
    for (const side of [core, proxyCore]) {
      expect((await side.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
      let page = 1;
      let seen = 0;
      for (;;) {
        const { Events, TotalCount } = await side.call('ListAuditEvents', { PageSize: 100, PageNumber: page } as never);
        expect(JSON.stringify(Events)).not.toContain(secret);
        seen += Events.length;
        if (Events.length === 0 || seen >= TotalCount) break;
        page += 1;
      }
      expect(seen).toBeGreaterThan(0);
    }
    // B's refused connects are audited with the code each fault left.
    const { Events } = await core.call('ListAuditEvents', { PageSize: 100, Filters: [{ Key: 'Operation', Values: ['ConnectKeyStore'] }] } as never);
    expect(Events.filter((event) => event.Outcome !== 'SUCCESS').length).toBeGreaterThanOrEqual(connectFaults.length);
  });
});
