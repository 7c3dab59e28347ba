import { isIPv4, isIPv6 } from 'node:net';

/**
 * Source addresses of network rules: single IPs or CIDR blocks, IPv4 or IPv6. Addresses are
 * compared as bytes, so `10.0.0.1` and `10.0.0.1/32`, or `2001:db8::1` and `2001:DB8:0:0::1`, are
 * the same entry; an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a dual-stack socket
 * reports) is its IPv4 address.
 */
export interface AddressBlock {
  family: 4 | 6;
  /** The network address: the written address with the bits past the prefix cleared. */
  network: Uint8Array;
  prefix: number;
}

const MAPPED_PREFIX = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

/** Bytes of an IP address, IPv4-mapped IPv6 unmapped; null for anything that is not an address. */
export function parseAddress(text: string): { family: 4 | 6; bytes: Uint8Array } | null {
  if (isIPv4(text)) return { family: 4, bytes: ipv4Bytes(text) };
  if (!isIPv6(text)) return null;
  const bytes = ipv6Bytes(text);
  if (bytes === null) return null;
  if (isMapped(bytes)) return { family: 4, bytes: bytes.slice(12) };
  return { family: 6, bytes };
}

/** An address (a block of one) or a CIDR block; null when malformed. */
export function parseBlock(text: string): AddressBlock | null {
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (address === null) return null;
  const written = address.family === 4 && slash >= 0 && isIPv6(text.slice(0, slash)) ? 128 : address.bytes.length * 8;
  let prefix = written;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > written) return null;
  }
  // A mapped IPv6 block (`::ffff:10.0.0.0/104`) is the IPv4 block it covers; a shorter prefix
  // reaches outside the mapped range and stays an IPv6 block.
  if (written === 128 && address.family === 4) {
    if (prefix < 96) return { family: 6, network: mask(concat(MAPPED_PREFIX, address.bytes), prefix), prefix };
    prefix -= 96;
  }
  return { family: address.family, network: mask(address.bytes, prefix), prefix };
}

export function blockContains(block: AddressBlock, address: { family: 4 | 6; bytes: Uint8Array }): boolean {
  if (block.family !== address.family) return false;
  const masked = mask(address.bytes, block.prefix);
  return masked.every((byte, index) => byte === block.network[index]);
}

/** One text per distinct block, the first spelling kept; throws on an entry that is not an address. */
export function distinctSourceAddresses(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const entry of entries) {
    const block = parseBlock(entry);
    if (block === null) throw new RangeError(`${entry} is not an IP address or CIDR block`);
    const key = blockKey(block);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(entry);
  }
  return kept;
}

/** Whether any of `blocks` holds the address (text as the socket reports it). */
export function addressInBlocks(blocks: readonly AddressBlock[], sourceAddress: string): boolean {
  const address = parseAddress(sourceAddress);
  return address !== null && blocks.some((block) => blockContains(block, address));
}

function blockKey(block: AddressBlock): string {
  return `${block.family}|${Buffer.from(block.network).toString('hex')}/${block.prefix}`;
}

function ipv4Bytes(text: string): Uint8Array {
  return new Uint8Array(text.split('.').map(Number));
}

/** Expands `::` and a trailing dotted IPv4 part; `text` already passed isIPv6 (zone ids refused). */
function ipv6Bytes(text: string): Uint8Array | null {
  if (text.includes('%')) return null;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = ipv4Bytes(last);
    tail = [((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0)];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsOf = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const doubleColon = head.indexOf('::');
  let groups: number[];
  if (doubleColon >= 0) {
    const left = groupsOf(head.slice(0, doubleColon));
    const right = [...groupsOf(head.slice(doubleColon + 2)), ...tail];
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    groups = [...groupsOf(head), ...tail];
  }
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  return MAPPED_PREFIX.every((byte, index) => bytes[index] === byte);
}

function mask(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((byte, index) => {
    const bits = Math.min(8, Math.max(0, prefix - index * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

function concat(left: Uint8Array, right: Uint8Array): Uint8Array {
  const joined = new Uint8Array(left.length + right.length);
  joined.set(left);
  joined.set(right, left.length);
  return joined;
}
