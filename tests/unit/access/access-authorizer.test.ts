import { describe, expect, it } from 'vitest';
import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION } from '../../../shared/contract';
import { decideAccess, requiredPermission, resourceMatches, type PolicyGrant } from '../../../electron/main/services/access/access-decision';
import type { AccessRequest } from '../../../electron/main/services/access/access-seams';
import { addressInBlocks, distinctSourceAddresses, parseAddress, parseBlock } from '../../../electron/main/services/access/source-addresses';

const blocks = (...entries: string[]) =>
  entries.map((entry) => {
    const block = parseBlock(entry);
    if (!block) throw new Error(`bad block ${entry}`);
    return block;
  });
const inside = (entries: string[], address: string): boolean => addressInBlocks(blocks(...entries), address);

describe('source address matching', () => {
  it('matches IPv4 addresses and CIDR blocks on the prefix bits only', () => {
    expect(inside(['10.0.0.1'], '10.0.0.1')).toBe(true);
    expect(inside(['10.0.0.1'], '10.0.0.2')).toBe(false);
    expect(inside(['10.0.0.1/32'], '10.0.0.1')).toBe(true);
    expect(inside(['192.168.4.0/22'], '192.168.7.255')).toBe(true);
    expect(inside(['192.168.4.0/22'], '192.168.8.0')).toBe(false);
    expect(inside(['192.168.4.77/22'], '192.168.5.1')).toBe(true);
    expect(inside(['172.16.0.0/12'], '172.31.255.1')).toBe(true);
    expect(inside(['172.16.0.0/12'], '172.32.0.1')).toBe(false);
    expect(inside(['0.0.0.0/0'], '203.0.113.9')).toBe(true);
    expect(inside(['127.0.0.1'], '127.0.0.2')).toBe(false);
  });

  it('matches IPv6 addresses and blocks, whatever the spelling', () => {
    expect(inside(['2001:db8::1'], '2001:DB8:0:0:0:0:0:1')).toBe(true);
    expect(inside(['2001:db8::/32'], '2001:db8:ffff::42')).toBe(true);
    expect(inside(['2001:db8::/32'], '2001:db9::1')).toBe(false);
    expect(inside(['fe80::/10'], 'febf::1')).toBe(true);
    expect(inside(['fe80::/10'], 'fec0::1')).toBe(false);
    expect(inside(['::1'], '::1')).toBe(true);
    expect(inside(['::/0'], '2001:db8::1')).toBe(true);
    expect(inside(['1:2:3:4:5:6:7:8/127'], '1:2:3:4:5:6:7:9')).toBe(true);
  });

  it('treats an IPv4-mapped IPv6 address as its IPv4 address, on either side', () => {
    expect(inside(['127.0.0.1'], '::ffff:127.0.0.1')).toBe(true);
    expect(inside(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    expect(inside(['10.0.0.0/8'], '::ffff:11.1.2.3')).toBe(false);
    expect(inside(['::ffff:127.0.0.1'], '127.0.0.1')).toBe(true);
    expect(inside(['::ffff:10.0.0.0/104'], '10.200.0.1')).toBe(true);
    expect(inside(['::ffff:10.0.0.0/104'], '11.0.0.1')).toBe(false);
    expect(parseAddress('::ffff:7f00:1')).toEqual({ family: 4, bytes: new Uint8Array([127, 0, 0, 1]) });
  });

  it('never mixes families and refuses what is not an address', () => {
    expect(inside(['0.0.0.0/0'], '2001:db8::1')).toBe(false);
    expect(inside(['::/0'], '10.0.0.1')).toBe(false);
    expect(inside(['10.0.0.0/8'], 'not-an-address')).toBe(false);
    expect(inside(['10.0.0.0/8'], '')).toBe(false);
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', '2001:db8::/129', 'fe80::1%eth0', 'example.com', '10.0.0']) {
      expect(parseBlock(bad), bad).toBeNull();
    }
  });

  it('removes duplicates by meaning, keeping the first spelling', () => {
    expect(distinctSourceAddresses(['10.0.0.1/32', '10.0.0.1', '10.0.0.0/24', '10.0.0.9/24', '2001:db8::1', '2001:DB8::0:1', '::ffff:10.0.0.1'])).toEqual([
      '10.0.0.1/32',
      '10.0.0.0/24',
      '2001:db8::1',
    ]);
    expect(() => distinctSourceAddresses(['10.0.0.1', 'nonsense'])).toThrow(RangeError);
  });
});

const grant = (policyName: string, permissions: string[], resources: string[], addresses: string[]): PolicyGrant => ({
  policyName,
  permissions,
  resources,
  blocks: blocks(...addresses),
});
const keyCall = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
  aapName: 'app',
  operation: 'Encrypt',
  sourceAddress: '127.0.0.1',
  key: { keyId: 'key-1', aliasNames: ['alias/payments'] },
  ...overrides,
});
const secretCall = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
  aapName: 'app',
  operation: 'GetSecretValue',
  sourceAddress: '127.0.0.1',
  secretName: 'db/password',
  ...overrides,
});

describe('access decisions', () => {
  const keyUser = grant('keys', [KEY_USER_PERMISSION], ['key/key-1'], ['127.0.0.1']);

  it('allows a call a policy covers in address, permission and resource, naming that policy', () => {
    expect(decideAccess([keyUser], keyCall())).toEqual({ allowed: true, policy: 'keys' });
    expect(decideAccess([grant('all', [KEY_USER_PERMISSION], ['key/*'], ['127.0.0.0/8'])], keyCall())).toEqual({ allowed: true, policy: 'all' });
    expect(decideAccess([grant('by-alias', [KEY_USER_PERMISSION], ['alias/payments'], ['127.0.0.1'])], keyCall())).toMatchObject({ allowed: true });
    expect(decideAccess([grant('s', [SECRET_USER_PERMISSION], ['secret/db/password'], ['127.0.0.1'])], secretCall())).toMatchObject({ allowed: true });
    expect(decideAccess([grant('s', [SECRET_USER_PERMISSION], ['secret/*'], ['::ffff:127.0.0.1'])], secretCall())).toMatchObject({ allowed: true });
  });

  it('lets any one of the access point’s policies allow', () => {
    const other = grant('other', [SECRET_USER_PERMISSION], ['secret/*'], ['10.0.0.0/8']);
    expect(decideAccess([other, keyUser], keyCall())).toEqual({ allowed: true, policy: 'keys' });
  });

  it('refuses an address outside every policy’s rules with Forbidden.SourceAddress', () => {
    const decision = decideAccess([keyUser, grant('wide', [KEY_USER_PERMISSION], ['key/*'], ['10.0.0.0/8'])], keyCall({ sourceAddress: '127.0.0.2' }));
    expect(decision).toMatchObject({ allowed: false, code: 'Forbidden.SourceAddress' });
    expect(decideAccess([grant('no-rules', [KEY_USER_PERMISSION], ['key/*'], [])], keyCall())).toMatchObject({ code: 'Forbidden.SourceAddress' });
  });

  it('refuses a missing permission with Forbidden.Permission, among the policies that admit the address', () => {
    expect(decideAccess([grant('secrets', [SECRET_USER_PERMISSION], ['key/*'], ['127.0.0.1'])], keyCall())).toMatchObject({ code: 'Forbidden.Permission' });
    expect(decideAccess([grant('keys', [KEY_USER_PERMISSION], ['secret/*'], ['127.0.0.1'])], secretCall())).toMatchObject({ code: 'Forbidden.Permission' });
    // The policy with the permission does not admit this address: the admitting one lacks it.
    const decision = decideAccess(
      [grant('here', [SECRET_USER_PERMISSION], ['key/*'], ['127.0.0.1']), grant('elsewhere', [KEY_USER_PERMISSION], ['key/*'], ['10.0.0.1'])],
      keyCall(),
    );
    expect(decision).toMatchObject({ allowed: false, code: 'Forbidden.Permission' });
  });

  it('refuses a resource no permitting policy names with Forbidden.Resource', () => {
    for (const resources of [['key/key-2'], ['alias/other'], ['secret/*'], ['key/key-10'], ['alias/payments/x']]) {
      expect(decideAccess([grant('p', [KEY_USER_PERMISSION], resources, ['127.0.0.1'])], keyCall()), resources.join()).toMatchObject({
        allowed: false,
        code: 'Forbidden.Resource',
      });
    }
    expect(decideAccess([grant('p', [SECRET_USER_PERMISSION], ['secret/db/other', 'key/*'], ['127.0.0.1'])], secretCall())).toMatchObject({
      code: 'Forbidden.Resource',
    });
  });

  it('refuses a vanished access point as a revoked client key', () => {
    expect(decideAccess(null, keyCall())).toMatchObject({ allowed: false, code: 'Unauthenticated.ClientKeyRevoked' });
  });

  it('needs the key user permission for key operations and the secret user permission for GetSecretValue', () => {
    expect(requiredPermission('Decrypt')).toBe(KEY_USER_PERMISSION);
    expect(requiredPermission('DescribeKey')).toBe(KEY_USER_PERMISSION);
    expect(requiredPermission('GetSecretValue')).toBe(SECRET_USER_PERMISSION);
  });

  it('matches aliases stored with or without their alias/ prefix', () => {
    expect(resourceMatches('alias/payments', keyCall({ key: { keyId: 'key-1', aliasNames: ['payments'] } }))).toBe(true);
    expect(resourceMatches('alias/payments', keyCall({ key: { keyId: 'key-1', aliasNames: [] } }))).toBe(false);
    expect(resourceMatches('key/*', secretCall())).toBe(false);
    expect(resourceMatches('secret/*', keyCall())).toBe(false);
  });
});
