import { randomFillSync } from 'node:crypto';

/** 341 IVs of 12 bytes per refill. */
const POOL_BYTES = 4092;

/**
 * Fresh random IVs from a pool filled by the CSPRNG, a few KiB at a time: one `randomBytes(12)`
 * per Encrypt cost as much as the dispatcher's schema check. Every IV is copied out and its bytes
 * never handed out again (the pool is refilled, not rewound); IVs are public, so holding them in
 * memory first costs nothing.
 */
export class IvSource {
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private offset = POOL_BYTES;

  constructor(private readonly size: number) {
    if (!Number.isSafeInteger(size) || size <= 0 || POOL_BYTES % size !== 0) throw new RangeError(`IV size ${size} does not divide the pool`);
  }

  next(): Buffer {
    if (this.offset === POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const iv = Buffer.from(this.pool.subarray(this.offset, this.offset + this.size));
    this.offset += this.size;
    return iv;
  }
}
