/**
 * The public key of an EC private key that only the token holds, recovered from ECDSA signatures
 * it made (SEC 1 v2, section 4.1.6). An imported PKCS#8 key arrives wrapped and is unwrapped inside
 * the HSM, and PKCS#11 gives an EC private key object no CKA_EC_POINT (SoftHSM2 2.6 keeps only
 * CKA_EC_PARAMS and the sensitive CKA_VALUE), so the point is computed from what the key signs.
 * One signature leaves up to two candidates; the point both of two signatures lead to is the key.
 * Every input here is public (curve constants, digests, signatures): plain BigInt arithmetic,
 * without constant-time care, is fine.
 */
import type { EcCurve } from './der';

interface CurveParameters {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  g: AffinePoint;
}

interface AffinePoint {
  x: bigint;
  y: bigint;
}

/** The point at infinity. */
type Point = AffinePoint | null;

const CURVES: Readonly<Record<EcCurve, CurveParameters>> = {
  // SEC 2 / FIPS 186-4 secp256r1.
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    g: {
      x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
      y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    },
  },
  // SEC 2 secp256k1.
  secp256k1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
    a: 0n,
    b: 7n,
    n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
    g: {
      x: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
      y: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
    },
  },
};

const COORDINATE_BYTES = 32;

function mod(value: bigint, modulus: bigint): bigint {
  const result = value % modulus;
  return result >= 0n ? result : result + modulus;
}

/** Modular inverse by the extended Euclidean algorithm; `value` must be non-zero modulo a prime. */
function invert(value: bigint, modulus: bigint): bigint {
  let [low, high] = [mod(value, modulus), modulus];
  let [lowCoefficient, highCoefficient] = [1n, 0n];
  while (low > 1n) {
    const ratio = high / low;
    [low, high] = [high - ratio * low, low];
    [lowCoefficient, highCoefficient] = [highCoefficient - ratio * lowCoefficient, lowCoefficient];
  }
  return mod(lowCoefficient, modulus);
}

function power(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = mod(base, modulus);
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

function add(curve: CurveParameters, left: Point, right: Point): Point {
  if (!left) return right;
  if (!right) return left;
  const { p } = curve;
  let slope: bigint;
  if (left.x === right.x) {
    if (mod(left.y + right.y, p) === 0n) return null;
    slope = mod((3n * left.x * left.x + curve.a) * invert(2n * left.y, p), p);
  } else {
    slope = mod((right.y - left.y) * invert(right.x - left.x, p), p);
  }
  const x = mod(slope * slope - left.x - right.x, p);
  return { x, y: mod(slope * (left.x - x) - left.y, p) };
}

function multiply(curve: CurveParameters, scalar: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let rest = mod(scalar, curve.n); rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = add(curve, result, addend);
    addend = add(curve, addend, addend);
  }
  return result;
}

/** The two points with this x coordinate, or none. Both curves have p ≡ 3 (mod 4), so a square root is one power. */
function pointsWithX(curve: CurveParameters, x: bigint): AffinePoint[] {
  const { p } = curve;
  const ySquared = mod(x * x * x + curve.a * x + curve.b, p);
  const y = power(ySquared, (p + 1n) / 4n, p);
  if ((y * y) % p !== ySquared) return [];
  return [
    { x, y },
    { x, y: mod(-y, p) },
  ];
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

function encodeUncompressed(point: AffinePoint): Buffer {
  const coordinate = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(COORDINATE_BYTES * 2, '0'), 'hex');
  return Buffer.concat([Buffer.from([0x04]), coordinate(point.x), coordinate(point.y)]);
}

/**
 * Every public key (uncompressed 04||X||Y) for which `signature` (raw r||s, 64 bytes) is a valid
 * ECDSA signature of the 32-byte `digest`: Q = r⁻¹(sR − eG) for each R with x(R) = r (or r + n).
 */
export function recoverPublicKeys(curveName: EcCurve, digest: Buffer, signature: Buffer): Buffer[] {
  const curve = CURVES[curveName];
  if (digest.length !== COORDINATE_BYTES || signature.length !== 2 * COORDINATE_BYTES) return [];
  const r = toBigInt(signature.subarray(0, COORDINATE_BYTES));
  const s = toBigInt(signature.subarray(COORDINATE_BYTES));
  if (r <= 0n || r >= curve.n || s <= 0n || s >= curve.n) return [];
  // 256-bit digest, 256-bit order: no truncation of e is needed.
  const e = toBigInt(digest);
  const rInverse = invert(r, curve.n);
  const eG = multiply(curve, e, curve.g);
  const negatedEG = eG ? { x: eG.x, y: mod(-eG.y, curve.p) } : null;
  const candidates: Buffer[] = [];
  for (const x of [r, r + curve.n]) {
    if (x >= curve.p) continue;
    for (const point of pointsWithX(curve, x)) {
      const q = multiply(curve, rInverse, add(curve, multiply(curve, s, point), negatedEG));
      if (q) candidates.push(encodeUncompressed(q));
    }
  }
  return candidates;
}

/** The one public key consistent with every (digest, signature) pair, or null when none or several are. */
export function recoverPublicKey(curveName: EcCurve, signed: ReadonlyArray<{ digest: Buffer; signature: Buffer }>): Buffer | null {
  let common: Buffer[] | null = null;
  for (const { digest, signature } of signed) {
    const candidates = recoverPublicKeys(curveName, digest, signature);
    common = common === null ? candidates : common.filter((point) => candidates.some((candidate) => candidate.equals(point)));
  }
  return common?.length === 1 ? (common[0] ?? null) : null;
}
