import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../electron/main/transports/ws-host';
import { callOverSocket, openHostSession } from '../../support/host-session';
import { createInitializedTestCore, disposeTestCore, removeDir, type TestCore } from '../../support/test-core';

const BACKUP_PASSWORD = 'Host-Backup-Pass-2026';
const OCTETS = { 'Content-Type': 'application/octet-stream' };
const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The page's DOM as far as the download link needs it (this file compiles without the DOM library). */
interface PageScope {
  document: {
    createElement(tag: 'a'): { href: string; download: string; click(): void };
    body: { appendChild(node: unknown): void };
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP request with exactly the headers given (Origin, Cookie and Host are the point here).
 * `chunks` are written one by one, so a body can outgrow the limit after the headers were accepted;
 * the host may close the connection while they are still being written.
 */
function send(host: BrowserHost, method: string, pathname: string, headers: Record<string, string | number>, chunks: Buffer[] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, method, path: pathname, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => parts.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
      response.on('error', reject);
    });
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        req.write(chunk);
        await new Promise((r) => setTimeout(r, 5));
      }
      req.end();
    })();
  });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('browser host file exchange: POST /files and GET /files/<BackupId>', () => {
  let t: TestCore;
  let host: BrowserHost;
  let small: BrowserHost;
  let origin = '';
  let cookie = '';
  let smallCookie = '';
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'keyward-renderer-files-'));
  const exchangeFiles = (): string[] => readdirSync(t.core.files.directory);

  const makeBackup = async (): Promise<{ BackupId: string; FileName: string; SizeBytes: number }> =>
    t.call('CreateBackup', { Password: BACKUP_PASSWORD, IncludeDefaultKeyStore: true, Description: 'host files' });

  beforeAll(async () => {
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyward</title>');
    t = await createInitializedTestCore();
    await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256', KeyUsage: 'ENCRYPT/DECRYPT', Description: 'in the backup' });
    host = await startBrowserHost({ dispatch: t.core.dispatch, files: t.core.files, rendererDir, port: 0 });
    small = await startBrowserHost({ dispatch: t.core.dispatch, files: t.core.files, rendererDir, port: 0, maxUploadBytes: 1024 });
    origin = new URL(host.url).origin;
    cookie = await openHostSession(host.launchUrl);
    smallCookie = await openHostSession(small.launchUrl);
  });
  afterAll(async () => {
    await host.close();
    await small.close();
    await disposeTestCore(t);
    removeDir(rendererDir);
  });

  it('downloads a made backup once, with the session cookie only, then forgets it', async () => {
    const made = await makeBackup();
    const where = `/files/${made.BackupId}`;
    expect((await send(host, 'GET', where, {})).status).toBe(403);
    expect((await send(host, 'GET', where, { Cookie: 'keyward_session=forged' })).status).toBe(403);
    expect((await send(host, 'GET', where, { Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(host, 'HEAD', where, { Cookie: cookie })).status).toBe(403);

    const first = await send(host, 'GET', where, { Cookie: cookie });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/octet-stream');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${made.FileName}"`);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body.length).toBe(made.SizeBytes);
    expect(first.body.subarray(0, 64).toString('latin1')).not.toContain(BACKUP_PASSWORD);

    expect((await send(host, 'GET', where, { Cookie: cookie })).status).toBe(404);
    expect((await send(host, 'GET', '/files/bkp-00000000-0000-0000-0000-000000000000', { Cookie: cookie })).status).toBe(404);
    // Delivered: the exchange directory no longer holds it.
    expect(exchangeFiles().filter((name) => name.includes(made.BackupId))).toEqual([]);

    // What was downloaded is the whole backup: uploaded again, it verifies.
    const uploaded = await send(host, 'POST', '/files', { ...OCTETS, Cookie: cookie, Origin: origin }, [first.body]);
    expect(uploaded.status).toBe(201);
    const { FileId } = JSON.parse(uploaded.body.toString()) as { FileId: string };
    const verified = await callOverSocket(host.url, cookie, 'VerifyBackup', { FileId, Password: BACKUP_PASSWORD });
    expect(verified).toMatchObject({ ok: true, output: { Verified: true, Manifest: { BackupId: made.BackupId } } });
  });

  it('takes an upload only with the session cookie, the host’s Origin and Host, as octets', async () => {
    const bytes = Buffer.from('not a backup, but bytes all the same');
    const refusals: Array<[Record<string, string>, number]> = [
      [{ ...OCTETS, Origin: origin }, 403],
      [{ ...OCTETS, Cookie: 'keyward_session=forged', Origin: origin }, 403],
      [{ ...OCTETS, Cookie: cookie }, 403],
      [{ ...OCTETS, Cookie: cookie, Origin: 'http://evil.example' }, 403],
      [{ ...OCTETS, Cookie: cookie, Origin: origin, Host: 'evil.example' }, 403],
      [{ 'Content-Type': 'text/plain', Cookie: cookie, Origin: origin }, 415],
    ];
    const before = exchangeFiles();
    for (const [headers, status] of refusals) {
      expect((await send(host, 'POST', '/files', headers, [bytes])).status, JSON.stringify(headers)).toBe(status);
    }
    // Other methods and paths stay refused, with or without a session.
    expect((await send(host, 'PUT', '/files', { ...OCTETS, Cookie: cookie, Origin: origin }, [bytes])).status).toBe(403);
    expect((await send(host, 'POST', '/rpc', { ...OCTETS, Cookie: cookie, Origin: origin }, [bytes])).status).toBe(403);
    expect(exchangeFiles()).toEqual(before);

    const accepted = await send(host, 'POST', '/files', { ...OCTETS, Cookie: cookie, Origin: origin }, [bytes]);
    expect(accepted.status).toBe(201);
    expect(accepted.headers['content-type']).toContain('application/json');
    const { FileId } = JSON.parse(accepted.body.toString()) as { FileId: string };
    expect(FileId).toMatch(/^file-/);
    const described = await callOverSocket(host.url, cookie, 'DescribeBackup', { FileId });
    expect(described).toMatchObject({ ok: false, error: { Code: 'InvalidBackup.NotABackup' } });
  });

  it('an uploaded backup’s FileId serves DescribeBackup over the WebSocket', async () => {
    const made = await makeBackup();
    const taken = t.core.files.takeOutgoing(made.BackupId);
    expect(taken).not.toBeNull();
    const bytes = readFileSync(taken!.path);
    t.core.files.release(taken!.path);
    // Several chunks: the host streams the body to disk.
    const chunks = [bytes.subarray(0, 100), bytes.subarray(100, 5000), bytes.subarray(5000)];
    const uploaded = await send(host, 'POST', '/files', { ...OCTETS, Cookie: cookie, Origin: origin }, chunks);
    expect(uploaded.status).toBe(201);
    const { FileId } = JSON.parse(uploaded.body.toString()) as { FileId: string };
    const stored = readdirSync(t.core.files.directory).find((name) => name === `in-${FileId}`);
    expect(stored).toBeDefined();
    expect(sha256(readFileSync(path.join(t.core.files.directory, stored!)))).toBe(sha256(bytes));
    const described = await callOverSocket(host.url, cookie, 'DescribeBackup', { FileId });
    expect(described).toMatchObject({ ok: true, output: { Verified: false, Manifest: { BackupId: made.BackupId }, SizeBytes: made.SizeBytes } });
  });

  it('refuses an upload over the limit with 413 and keeps no partial file', async () => {
    const before = exchangeFiles();
    const declared = await send(small, 'POST', '/files', { ...OCTETS, Cookie: smallCookie, Origin: new URL(small.url).origin, 'Content-Length': 4096 }, [
      Buffer.alloc(4096, 1),
    ]);
    expect(declared.status).toBe(413);
    // Chunked, so the size is only known while it arrives.
    const streamed = await send(small, 'POST', '/files', { ...OCTETS, Cookie: smallCookie, Origin: new URL(small.url).origin }, [
      Buffer.alloc(600, 2),
      Buffer.alloc(600, 3),
      Buffer.alloc(600, 4),
    ]);
    expect(streamed.status).toBe(413);
    await expect.poll(() => exchangeFiles(), { timeout: 5_000 }).toEqual(before);
    // Exactly the limit is fine.
    const fits = await send(small, 'POST', '/files', { ...OCTETS, Cookie: smallCookie, Origin: new URL(small.url).origin }, [Buffer.alloc(1024, 5)]);
    expect(fits.status).toBe(201);
  });

  it('answers a request target no URL parser accepts with 400 and keeps serving', async () => {
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect(host.port, '127.0.0.1', () => socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`));
      socket.once('data', (data) => {
        resolve(String(data).split('\r\n')[0] ?? '');
        socket.end();
      });
      socket.once('error', reject);
      socket.once('close', () => resolve('closed without an answer'));
      socket.setTimeout(5000, () => {
        resolve('no answer');
        socket.destroy();
      });
    });
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect((await send(host, 'GET', '/', {})).status).toBe(200);
  });

  it('in Chromium, the page’s same-origin fetch POST is admitted (Origin is sent) and a download link saves the backup', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const third = await startBrowserHost({ dispatch: t.core.dispatch, files: t.core.files, rendererDir, port: 0 });
      try {
        const page = await browser.newPage({ acceptDownloads: true });
        await page.goto(third.launchUrl); // the session cookie, then the console page
        const answer = await page.evaluate(async () => {
          const response = await fetch('/files', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array([1, 2, 3]) });
          return { status: response.status, body: await response.text() };
        });
        expect(answer.status).toBe(201);
        expect(JSON.parse(answer.body)).toEqual({ FileId: expect.stringMatching(/^file-/) });

        // As the console delivers a made backup: a hidden <a download> to /files/<BackupId>.
        const made = await makeBackup();
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.evaluate(
            ([id, name]) => {
              const { document } = globalThis as unknown as PageScope;
              const link = document.createElement('a');
              link.href = `/files/${id}`;
              link.download = name;
              document.body.appendChild(link);
              link.click();
            },
            [made.BackupId, made.FileName] as const,
          ),
        ]);
        expect(download.suggestedFilename()).toBe(made.FileName);
        const saved = await download.path();
        expect(readFileSync(saved).length).toBe(made.SizeBytes);
      } finally {
        await third.close();
      }
    } finally {
      await browser.close();
    }
  });
});
