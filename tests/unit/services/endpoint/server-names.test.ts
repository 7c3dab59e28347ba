import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { serverNamesFor } from '../../../../electron/main/services/endpoint/server-names';

function entry(address: string, family: 'IPv4' | 'IPv6'): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal: address === '127.0.0.1' || address === '::1', cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const interfaces = {
  lo: [entry('127.0.0.1', 'IPv4'), entry('::1', 'IPv6')],
  eth0: [entry('192.168.7.5', 'IPv4'), entry('fd00::5', 'IPv6'), entry('fe80::1', 'IPv6')],
};

describe('serverNamesFor', () => {
  it('names a specific bind address only', () => {
    expect(serverNamesFor('192.168.7.5', interfaces, 'ws-17')).toEqual(['192.168.7.5']);
    expect(serverNamesFor('127.0.0.1', interfaces, 'ws-17')).toEqual(['127.0.0.1']);
  });

  it('names every IPv4 address of the machine and the host name for 0.0.0.0', () => {
    expect(serverNamesFor('0.0.0.0', interfaces, 'ws-17')).toEqual(['127.0.0.1', '192.168.7.5', 'ws-17']);
  });

  it('names both families, without link-local addresses, for ::', () => {
    expect(serverNamesFor('::', interfaces, 'ws-17')).toEqual(['127.0.0.1', '::1', '192.168.7.5', 'fd00::5', 'ws-17']);
  });

  it('never names the unspecified address itself', () => {
    expect(serverNamesFor('0.0.0.0', {}, '')).toEqual(['localhost']);
  });
});
