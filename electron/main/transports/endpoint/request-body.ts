import type { IncomingMessage } from 'node:http';
import { KmsError } from '../../../../shared/errors';

/** Largest body the endpoint reads: the largest contract input (4 KiB plaintexts as base64, contexts) fits with room. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the body, refusing (RequestTooLarge) as soon as it passes the bound, before anything parses it. */
export function readBoundedBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new KmsError('RequestTooLarge', `The request body is larger than ${limit} bytes.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        reject(new KmsError('RequestTooLarge', `The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    request.once('aborted', () => reject(new Error('the client aborted the request')));
  });
}

/** Parses a JSON object body; anything else is InvalidParameter (never an internal failure). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new KmsError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KmsError('InvalidParameter', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
