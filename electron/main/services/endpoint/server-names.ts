import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const UNSPECIFIED: Record<string, 'IPv4' | 'both'> = { '0.0.0.0': 'IPv4', '::': 'both' };

/**
 * The names the endpoint's certificate must carry for applications to verify it. A specific bind
 * address is its own name. The unspecified address (0.0.0.0, ::) is reachable at every address
 * of the machine, which is never a name a client dials: the certificate names those addresses
 * (the bind address first, as CN) and the host name instead.
 */
export function serverNamesFor(bindAddress: string, interfaces: Interfaces = networkInterfaces(), hostName: string = hostname()): string[] {
  const families = UNSPECIFIED[bindAddress];
  if (!families) return [bindAddress];
  const addresses = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => (families === 'both' || entry.family === 'IPv4') && !isLinkLocal(entry.address))
    .map((entry) => entry.address);
  const names = [...new Set([...addresses, ...(hostName ? [hostName] : [])])];
  return names.length > 0 ? names : ['localhost'];
}

/** fe80::/10 needs a zone id to be dialled, which no certificate can name. */
function isLinkLocal(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}
