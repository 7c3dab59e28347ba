/**
 * SigV4 signing of one endpoint request as AWS KMS signs its XKS calls (@smithy/signature-v4, the
 * signer of the AWS SDKs): for the application process, where it is part of the client's cost.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Signing } from './endpoint-app';

/** The headers to send with `body` to `path`: host, content-type, X-Amz-Date and Authorization. */
export type RequestSigner = (port: number, path: string, body: string) => Promise<Record<string, string>>;

export function sigv4Signer(signing: SigV4Signing): RequestSigner {
  const signer = new SignatureV4({
    credentials: { accessKeyId: signing.accessKeyId, secretAccessKey: signing.secretAccessKey },
    region: signing.region,
    service: signing.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  return async (port, path, body) => {
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: '127.0.0.1',
      port,
      path,
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
      body,
    });
    return (await signer.sign(request, { signingDate: new Date() })).headers;
  };
}
