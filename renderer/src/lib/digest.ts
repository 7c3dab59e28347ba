import { bytesToBase64 } from './encoding';

/** SHA-256 of the UTF-8 message, base64: the Digest that AsymmetricSign/Verify take. */
export async function sha256Base64(message: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(message));
  return bytesToBase64(new Uint8Array(digest));
}
