/**
 * The client key file's PKCS#12, built with pkijs: the private key in a shrouded key bag (PBES2:
 * PBKDF2-HMAC-SHA256, AES-256-CBC), the client and CA certificates in certificate bags, and an
 * HMAC-SHA256 integrity MAC. OpenSSL 3 reads it without `-legacy`, and so does Node's `tls` (`pfx`).
 */
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
/** PBKDF2 rounds for the key bag and the MAC: OpenSSL 3's own default is 2048; a stolen file should cost more. */
const ITERATIONS = 100_000;

export interface Pkcs12Contents {
  /** PKCS#8 DER of the private key. */
  privateKeyPkcs8: Buffer;
  /** DER; the first is the key's own certificate. */
  certificates: readonly Buffer[];
  /** Names the key and its certificate in tools that show one (the ClientKeyId). */
  friendlyName: string;
}

/** Node's WebCrypto, typed as the DOM's `Crypto` pkijs declares. */
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function buildPkcs12(contents: Pkcs12Contents, password: string): Promise<Buffer> {
  const [own, ...chain] = contents.certificates;
  if (!own) throw new TypeError('A PKCS#12 needs the key’s certificate.');
  const engine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as EngineCrypto });
  const localKeyId = createHash('sha1').update(own).digest();
  const identity = [
    new pkijs.Attribute({ type: FRIENDLY_NAME, values: [new asn1js.BmpString({ value: contents.friendlyName })] }),
    new pkijs.Attribute({ type: LOCAL_KEY_ID, values: [new asn1js.OctetString({ valueHex: arrayBuffer(localKeyId) })] }),
  ];
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(arrayBuffer(contents.privateKeyPkcs8)) });
  const certBag = (der: Buffer, attributes?: pkijs.Attribute[]): pkijs.SafeBag =>
    new pkijs.SafeBag({ bagId: CERT_BAG, bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(arrayBuffer(der)) }), ...(attributes ? { bagAttributes: attributes } : {}) });
  const safeContents = new pkijs.SafeContents({
    safeBags: [new pkijs.SafeBag({ bagId: KEY_BAG, bagValue: keyBag, bagAttributes: identity }), certBag(own, identity), ...chain.map((der) => certBag(der))],
  });
  const authenticatedSafe = new pkijs.AuthenticatedSafe({ parsedValue: { safeContents: [{ privacyMode: 0, value: safeContents }] } });
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  const secret = Buffer.from(password, 'utf8');
  try {
    const passwordBuffer = arrayBuffer(secret);
    await keyBag.makeInternalValues(
      { password: passwordBuffer, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as pkijs.ContentEncryptionAlgorithm, hmacHashAlgorithm: 'SHA-256', iterationCount: ITERATIONS },
      engine,
    );
    await authenticatedSafe.makeInternalValues({ safeContents: [{}] }, engine);
    await pfx.makeInternalValues({ password: passwordBuffer, iterations: ITERATIONS, pbkdf2HashAlgorithm: { name: 'SHA-256' }, hmacHashAlgorithm: 'SHA-256' }, engine);
    return Buffer.from(pfx.toSchema().toBER(false));
  } finally {
    secret.fill(0);
  }
}
