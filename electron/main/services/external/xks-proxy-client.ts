/**
 * Keyward as an AWS KMS would be to an XKS proxy: the four POSTs of the XKS Proxy API v1
 * (aws-kms-xksproxy-api-spec), SigV4-signed with the service `kms-xks-proxy`, over HTTPS with
 * keep-alive, each bounded by a deadline so a silent proxy never holds a caller. Answers are
 * checked against the specification before anything uses them.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { z } from 'zod';
import { KmsError } from '../../../../shared/errors';
import { invalidResponse, proxyRefusal, transportFailure } from './xks-answer-errors';

export const XKS_SIGNING_SERVICE = 'kms-xks-proxy';
/** The spec gives a proxy 250 ms; a proxy on a busy offline workstation gets four times that before the call fails. */
export const XKS_CALL_TIMEOUT_MS = 1_000;
/** No answer of the API comes near this; a larger one is not the API. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface XksProxyAddress {
  uriEndpoint: string;
  uriPath: string;
  caCertificate: string | null;
  accessKeyId: string;
}

/** The requestMetadata every call carries (spec, "Request Metadata"). */
export interface XksRequestMetadata {
  awsPrincipalArn: string;
  kmsOperation: string;
  kmsRequestId: string;
  kmsKeyArn?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const metadataAnswer = z.object({ keySpec: z.string(), keyUsage: z.array(z.string()), keyStatus: z.string() });
const encryptAnswer = z.object({
  authenticationTag: base64,
  ciphertext: base64,
  initializationVector: base64,
  ciphertextMetadata: base64.optional(),
  ciphertextDataIntegrityValue: base64.optional(),
});
const decryptAnswer = z.object({ plaintext: base64 });
const healthAnswer = z.object({
  xksProxyFleetSize: z.number().int().min(1),
  xksProxyVendor: z.string(),
  xksProxyModel: z.string(),
  ekmVendor: z.string(),
  ekmFleetDetails: z.array(z.object({ id: z.string(), model: z.string(), healthStatus: z.string() })).min(1).max(100),
});
const errorAnswer = z.object({ errorName: z.string().max(128), errorMessage: z.string().optional() });

export type XksKeyMetadata = z.infer<typeof metadataAnswer>;
export type XksEncryptAnswer = z.infer<typeof encryptAnswer>;
export type XksHealthAnswer = z.infer<typeof healthAnswer>;

export interface XksClientOptions {
  region: string;
  timeoutMs?: number;
  now?: () => Date;
}

export class XksProxyClient {
  private readonly agent: Agent;
  private readonly signer: SignatureV4;
  private readonly url: URL;
  private secret: string;

  /** `secretAccessKey` is kept for the connection's life (every call is signed with it) and dropped by close(). */
  constructor(
    readonly address: XksProxyAddress,
    secretAccessKey: string,
    private readonly options: XksClientOptions,
  ) {
    this.url = new URL(address.uriEndpoint);
    this.secret = secretAccessKey;
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, minVersion: 'TLSv1.2', ...(address.caCertificate ? { ca: address.caCertificate } : {}) });
    this.signer = new SignatureV4({
      credentials: () => Promise.resolve({ accessKeyId: address.accessKeyId, secretAccessKey: this.secret }),
      region: options.region,
      service: XKS_SIGNING_SERVICE,
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async health(metadata: Pick<XksRequestMetadata, 'kmsOperation' | 'kmsRequestId'>): Promise<XksHealthAnswer> {
    return this.call('/health', { requestMetadata: metadata }, healthAnswer);
  }

  async metadata(xksKeyId: string, metadata: XksRequestMetadata): Promise<XksKeyMetadata> {
    return this.call(`/keys/${encodeURIComponent(xksKeyId)}/metadata`, { requestMetadata: metadata }, metadataAnswer);
  }

  async encrypt(xksKeyId: string, plaintext: Buffer, aad: Buffer, metadata: XksRequestMetadata): Promise<XksEncryptAnswer> {
    const body = {
      requestMetadata: metadata,
      plaintext: plaintext.toString('base64'),
      encryptionAlgorithm: 'AES_GCM',
      additionalAuthenticatedData: aad.toString('base64'),
      ciphertextDataIntegrityValueAlgorithm: 'SHA_256',
    };
    return this.call(`/keys/${encodeURIComponent(xksKeyId)}/encrypt`, body, encryptAnswer);
  }

  async decrypt(
    xksKeyId: string,
    sealed: { ciphertext: Buffer; iv: Buffer; tag: Buffer; ciphertextMetadata: Buffer | null },
    aad: Buffer,
    metadata: XksRequestMetadata,
  ): Promise<Buffer> {
    const body = {
      requestMetadata: metadata,
      ciphertext: sealed.ciphertext.toString('base64'),
      encryptionAlgorithm: 'AES_GCM',
      initializationVector: sealed.iv.toString('base64'),
      authenticationTag: sealed.tag.toString('base64'),
      additionalAuthenticatedData: aad.toString('base64'),
      ...(sealed.ciphertextMetadata ? { ciphertextMetadata: sealed.ciphertextMetadata.toString('base64') } : {}),
    };
    const answer = await this.call(`/keys/${encodeURIComponent(xksKeyId)}/decrypt`, body, decryptAnswer);
    return Buffer.from(answer.plaintext, 'base64');
  }

  close(): void {
    this.secret = '';
    this.agent.destroy();
  }

  private async call<T>(route: string, body: object, shape: z.ZodType<T>): Promise<T> {
    if (!this.secret) throw new KmsError('Forbidden.KeyStoreState', 'The external key store was disconnected.');
    const path = `${this.address.uriPath}${route}`;
    const text = JSON.stringify(body);
    const signed = await this.signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'https:',
        hostname: this.url.hostname,
        ...(this.url.port ? { port: Number(this.url.port) } : {}),
        path,
        headers: { host: this.url.host, 'content-type': 'application/json' },
        body: text,
      }),
      { signingDate: this.options.now?.() ?? new Date() },
    );
    const { status, answer } = await this.post(path, text, signed.headers);
    const json = parseJson(answer);
    if (status !== 200) {
      const refusal = errorAnswer.safeParse(json);
      throw proxyRefusal(status, refusal.success ? refusal.data.errorName : null, refusal.success ? (refusal.data.errorMessage ?? null) : null);
    }
    const parsed = shape.safeParse(json);
    if (!parsed.success) throw invalidResponse(`${route.split('/').at(-1) ?? route} answered ${parsed.error.issues[0]?.path.join('.') || 'a body'} that does not fit`);
    return parsed.data;
  }

  /**
   * One POST, sent again once when a kept-alive socket turns out to have been closed by the proxy
   * before any answer (the race every keep-alive client has): the proxy is fine, the socket was not.
   */
  private async post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; answer: Buffer }> {
    try {
      return await this.postOnce(path, body, headers);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      return this.postOnce(path, body, headers);
    }
  }

  private postOnce(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; answer: Buffer }> {
    const timeoutMs = this.options.timeoutMs ?? XKS_CALL_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = httpsRequest(
        { protocol: 'https:', hostname: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port || 443, method: 'POST', path, headers, agent: this.agent },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) request.destroy(invalidResponse(`an answer over ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, answer: Buffer.concat(chunks) }));
          response.on('error', (error) => reject(transportFailure(error)));
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new KmsError('XksProxy.TimedOut', `The XKS proxy did not answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (!answered && request.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) reject(new StaleSocketError());
        else reject(transportFailure(error));
      });
      request.end(body);
    });
  }
}

class StaleSocketError extends Error {}

function parseJson(answer: Buffer): unknown {
  if (answer.length === 0) return null;
  try {
    return JSON.parse(answer.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
