import { describe, expect, it } from 'vitest';
import { xksProxyNameSchema, xksUriPathSchema } from '../../../shared/contract';
import {
  credentialRetirement,
  keyStoreOptions,
  retirementText,
  XKS_URI_PATH_INPUT_MAX,
  xksCaller,
  xksCallProxyName,
  xksProxyNameProblem,
  xksProxyUri,
  xksUriPathProblem,
} from '../../../renderer/src/lib/xks-proxies';

describe('the XKS proxy form judges what the officer typed as the contract does', () => {
  it('names', () => {
    for (const name of ['aws-prod', 'a_b', 'x'.repeat(64), 'x'.repeat(65), 'has space', 'ü', 'a/b']) {
      expect(xksProxyNameProblem(name) === '', name).toBe(xksProxyNameSchema.safeParse(name).success);
    }
    expect(xksProxyNameProblem('')).toBe('');
  });

  it('URI paths, naming the rule each breaks', () => {
    const longest = `/${'p'.repeat(XKS_URI_PATH_INPUT_MAX - 1)}`;
    const cases: [string, RegExp | ''][] = [
      ['/prod', ''],
      ['/eu/prod-1/x_y', ''],
      [longest, ''],
      [`${longest}p`, /^At most 117 characters \(AWS takes 128 with \/kms\/xks\/v1\)\.$/],
      ['prod', /^Starts with \//],
      ['/prod/', /No \/ at the end/],
      ['/', /No \/ at the end/],
      ['/a//b', /No empty segment/],
      ['/pr od', /^" " is not allowed/],
      ['/prod?x=1', /^"\?" is not allowed/],
      ['/é', /^"é" is not allowed/],
    ];
    for (const [path, expected] of cases) {
      const problem = xksUriPathProblem(path);
      expect(problem === '', path).toBe(xksUriPathSchema.safeParse(path).success);
      if (expected === '') expect(problem, path).toBe('');
      else expect(problem, path).toMatch(expected);
    }
    expect(xksUriPathProblem('')).toBe('');
  });
});

describe('what the XKS proxies page shows', () => {
  it('the proxy URI for CreateCustomKeyStore only while the endpoint runs', () => {
    expect(xksProxyUri({ State: 'RUNNING', Address: '127.0.0.1', Port: 8443 }, '/prod/kms/xks/v1')).toBe('https://127.0.0.1:8443/prod/kms/xks/v1');
    expect(xksProxyUri({ State: 'RUNNING', Address: '::1', Port: 9443 }, '/p/kms/xks/v1')).toBe('https://[::1]:9443/p/kms/xks/v1');
    expect(xksProxyUri({ State: 'STOPPED', Address: '127.0.0.1', Port: 8443 }, '/prod/kms/xks/v1')).toBeNull();
    expect(xksProxyUri(null, '/prod/kms/xks/v1')).toBeNull();
  });

  it('which credentials a retirement stops (ids come newest first)', () => {
    expect(credentialRetirement(['NEW', 'MID', 'OLD'])).toEqual({ kept: 'NEW', retired: ['MID', 'OLD'] });
    expect(retirementText(['NEW', 'OLD'])).toBe('OLD stops working at once; NEW stays. Configure AWS KMS with NEW first.');
    expect(retirementText(['NEW', 'MID', 'OLD'])).toMatch(/^MID, OLD stop working at once; NEW stays/);
    expect(retirementText(['ONLY'])).toMatch(/ONLY is the only credential/);
  });

  it('the proxy and access key id of a call, from its actor', () => {
    expect(xksCaller('xks:aws-prod/ABCDEFGHIJKLMNOPQRST')).toEqual({ proxyName: 'aws-prod', accessKeyId: 'ABCDEFGHIJKLMNOPQRST' });
    expect(xksCaller('client:KAAP.x')).toEqual({ proxyName: '', accessKeyId: '' });
  });

  it('offers connected key stores only', () => {
    const options = keyStoreOptions([
      { KeyStoreId: 'kst-default', KeyStoreName: 'Default', KeyStoreType: 'DEFAULT', ConnectionState: 'CONNECTED' },
      { KeyStoreId: 'kst-1', KeyStoreName: '', KeyStoreType: 'CLUSTER', ConnectionState: 'DISCONNECTED' },
    ]);
    expect(options).toEqual([
      { label: 'Default (kst-default)', value: 'kst-default', disabled: false },
      { label: 'kst-1 · not connected', value: 'kst-1', disabled: true },
    ]);
  });
});

describe('the proxy of an XKS call', () => {
  const proxies = [{ XksProxyId: 'xksp-1', Name: 'aws-prod' }];
  it('comes from the actor once the signature held, else from the proxy id of its path', () => {
    expect(xksCallProxyName({ Actor: 'xks:aws-dev/ABC', Details: { XksProxyId: 'xksp-1' } }, proxies)).toBe('aws-dev');
    expect(xksCallProxyName({ Actor: 'client:KAAP.x', Details: { XksProxyId: 'xksp-1' } }, proxies)).toBe('aws-prod');
    expect(xksCallProxyName({ Actor: 'client:KAAP.x', Details: {} }, proxies)).toBe('');
  });
});
