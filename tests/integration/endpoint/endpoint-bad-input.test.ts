/**
 * R1 for the application endpoint's HTTP surface: malformed JSON, oversized bodies (refused before
 * parsing), bad headers, unknown targets, truncated TLS and slow clients. No crash, a typed error
 * for each, nothing changed, and the endpoint still serves afterwards.
 */
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitializedTestCore, disposeTestCore, type TestCore } from '../../support/test-core';
import { agentFor, CLIENT_PASSWORD, createAccess, post, type ClientKey } from './endpoint-fixture';

describe('application endpoint: bad input', () => {
  let t: TestCore;
  let port: number;
  let clientKey: ClientKey;
  let keyId: string;
  let keysBefore: number;
  const codeOf = (body: string) => (JSON.parse(body) as { Code?: string; __type?: string; message?: string });

  beforeAll(async () => {
    t = await createInitializedTestCore();
    ({ clientKey } = await createAccess(t));
    keyId = (await t.call('CreateKey', {} as never)).KeyMetadata.KeyId;
    keysBefore = (await t.call('ListKeys', {} as never)).TotalCount;
    port = (await t.call('StartApplicationEndpoint', { Address: '127.0.0.1', Port: 0 })).Port;
  }, 180_000);
  afterAll(async () => {
    await disposeTestCore(t);
  });

  it('answers malformed JSON, a non-object body and an unknown operation with typed errors', async () => {
    const agent = agentFor(clientKey);
    const malformed = await post(port, agent, '/v1/Encrypt', '{"KeyId": ');
    expect([malformed.status, codeOf(malformed.body).Code]).toEqual([400, 'InvalidParameter']);
    const array = await post(port, agent, '/v1/Encrypt', '[1, 2]');
    expect([array.status, codeOf(array.body).Code]).toEqual([400, 'InvalidParameter']);
    const prototype = await post(port, agent, '/v1/Encrypt', `{"KeyId": "${keyId}", "Plaintext": "eA==", "__proto__": {"x": 1}}`);
    expect([prototype.status, codeOf(prototype.body).Code]).toEqual([400, 'InvalidParameter']);
    const unknown = await post(port, agent, '/v1/NoSuchOperation', '{}');
    expect([unknown.status, codeOf(unknown.body).Code]).toEqual([404, 'InvalidAction']);
    const wrongPath = await post(port, agent, '/elsewhere', '{}');
    expect([wrongPath.status, codeOf(wrongPath.body).Code]).toEqual([404, 'InvalidAction']);
    agent.destroy();
  });

  it('refuses oversized bodies before parsing them, declared or streamed', async () => {
    const declared = await post(port, agentFor(clientKey), '/v1/Encrypt', Buffer.alloc(70 * 1024, 0x7b));
    expect([declared.status, codeOf(declared.body).Code]).toEqual([413, 'RequestTooLarge']);
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_PASSWORD, ca: clientKey.CaCertificate }, () => {
        socket.write('POST /v1/Encrypt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = Buffer.alloc(8 * 1024, 0x20);
        for (let i = 0; i < 10; i += 1) socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
      });
      let received = '';
      socket.on('data', (data: Buffer) => (received += data.toString()));
      socket.on('close', () => resolve({ status: Number(received.split(' ')[1]), body: received.slice(received.indexOf('\r\n\r\n') + 4) }));
      socket.on('error', reject);
    });
    expect([streamed.status, codeOf(streamed.body).Code]).toEqual([413, 'RequestTooLarge']);
  });

  it('answers bad headers and unknown AWS targets with typed errors', async () => {
    const agent = agentFor(clientKey);
    const amz = { 'Content-Type': 'application/x-amz-json-1.1' };
    const unknownService = await post(port, agent, '/', '{}', { ...amz, 'X-Amz-Target': 'DynamoDB_20120810.GetItem' });
    expect([unknownService.status, codeOf(unknownService.body).Code]).toEqual([404, 'InvalidAction']);
    const unknownOperation = await post(port, agent, '/', '{}', { ...amz, 'X-Amz-Target': 'TrentService.ReEncrypt' });
    expect(unknownOperation.status).toBe(401);
    expect(codeOf(unknownOperation.body)).toMatchObject({ __type: 'InvalidSignatureException' });
    const unsigned = await post(port, agent, '/', '{}', { ...amz, 'X-Amz-Target': 'TrentService.Encrypt', Authorization: 'Bearer nonsense' });
    expect([unsigned.status, unsigned.headers['x-keyward-error-code']]).toEqual([401, 'Unauthenticated.Signature']);
    const hugeHeader = await post(port, agent, '/v1/Encrypt', '{}', { 'X-Padding': 'a'.repeat(20 * 1024) }).catch((error: Error) => error);
    expect(hugeHeader instanceof Error ? 'connection closed' : hugeHeader.status).toSatisfy((value) => value === 431 || value === 'connection closed');
    agent.destroy();
  });

  it('survives a truncated TLS handshake and drops a slow client at the header deadline', async () => {
    await new Promise<void>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
        // The first bytes of a TLS ClientHello, then nothing.
        socket.end(Buffer.from('16030100c8010000c40303', 'hex'));
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, pfx: Buffer.from(clientKey.PrivateKeyData, 'base64'), passphrase: CLIENT_PASSWORD, ca: clientKey.CaCertificate }, () => {
        socket.write('POST /v1/Encrypt HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      });
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('the slow client was not dropped')), 25_000);
    });
    expect(closedAfter).toBeLessThan(20_000);
  }, 40_000);

  it('changed nothing, and still serves a well-formed call with an intact audit chain', async () => {
    const agent = agentFor(clientKey);
    const answer = await post(port, agent, '/v1/Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: Buffer.from('still here').toString('base64') }));
    expect(answer.status).toBe(200);
    expect((await t.call('ListKeys', {} as never)).TotalCount).toBe(keysBefore);
    expect((await t.call('DescribeApplicationEndpoint', {})).State).toBe('RUNNING');
    expect((await t.call('VerifyAuditLog', {} as never)).Valid).toBe(true);
    agent.destroy();
  });
});
