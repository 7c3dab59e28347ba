/**
 * The cluster owner key pair inside the first member: generated under the SO login (before any
 * crypto user exists, so it is a public object like every SO-created object), then used only to
 * sign: the ClusterOwnerCertificate at initialization and a fresh challenge whenever a key store
 * checks its trust anchor against the HSM.
 */
import { ownerKeyPairTemplates } from './cluster-templates';
import { CKA, CKK } from './constants';
import { curveFromEcParams, ecPointFromAttribute } from '../der';
import { hsmFail } from './failure';
import { CKM } from '../mechanisms';
import type { HsmArgs } from '../protocol';
import type { OwnerSignature, PublicKeyMaterial } from '../types';
import { notFound } from './keys';
import type { ObjectHandle, PKCS11, Session } from './pkcs11';
import type { TokenRegistry } from './tokens';
import { withSo } from './wrap';

const P256_SIGNATURE_BYTES = 64;

function readEcPublicKey(p11: PKCS11, session: Session, handle: ObjectHandle, operation: string): PublicKeyMaterial {
  const values = p11.C_GetAttributeValue(session, handle, [{ type: CKA.EC_PARAMS }, { type: CKA.EC_POINT }]);
  const params = values.find((attr) => attr.type === CKA.EC_PARAMS)?.value ?? Buffer.alloc(0);
  const curve = curveFromEcParams(Buffer.from(params));
  if (!curve) throw hsmFail('HsmError.Generic', `${operation}: the owner key is not on a supported curve`);
  const point = ecPointFromAttribute(Buffer.from(values.find((attr) => attr.type === CKA.EC_POINT)?.value ?? Buffer.alloc(0)), curve);
  if (!point) throw hsmFail('HsmError.Generic', `${operation}: the token returned a malformed EC point`);
  return { kind: 'EC', curve, point };
}

export async function generateOwnerKey(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'generateOwnerKey'>): Promise<PublicKeyMaterial> {
  const token = tokens.get(args.serial);
  return withSo(p11, token, args.soPin, async (session) => {
    if (token.find(session, args.objectId).all.length > 0) {
      throw hsmFail('InvalidParameter', 'generateOwnerKey: an object with this id already exists on the token');
    }
    const { publicTemplate, privateTemplate } = ownerKeyPairTemplates(args);
    const pair = await p11.C_GenerateKeyPairAsync(session, { mechanism: CKM.EC_KEY_PAIR_GEN }, publicTemplate, privateTemplate);
    return readEcPublicKey(p11, session, pair.publicKey, 'generateOwnerKey');
  });
}

export async function ownerSign(p11: PKCS11, tokens: TokenRegistry, args: HsmArgs<'ownerSign'>): Promise<OwnerSignature> {
  const token = tokens.get(args.serial);
  return token.withSession(async (session) => {
    const handles = token.find(session, args.objectId);
    if (!handles.private || !handles.public) throw notFound('ownerSign', 'cluster owner key pair');
    if (handles.keyType !== CKK.EC) throw hsmFail('Forbidden.KeyUsage', 'ownerSign: the owner key is not an EC key');
    p11.C_SignInit(session, { mechanism: CKM.ECDSA }, handles.private);
    const signature = Buffer.from(await p11.C_SignAsync(session, args.digest, Buffer.alloc(P256_SIGNATURE_BYTES)));
    return { signature, publicKey: readEcPublicKey(p11, session, handles.public, 'ownerSign') };
  });
}
