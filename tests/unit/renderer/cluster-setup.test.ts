import { describe, expect, it } from 'vitest';
import { memberRemovable, membersSuffice, parseEnvironment, resumeStep, stepIndex, type SetupFacts } from '../../../renderer/src/lib/cluster-setup';

const twoZones = [{ Zone: 'a' }, { Zone: 'b' }];
const facts = (overrides: Partial<SetupFacts>): SetupFacts => ({ moduleCount: 1, cluster: null, hasKmsUser: false, keyStore: null, ...overrides });

describe('membersSuffice', () => {
  it('asks two zones of a production cluster and one HSM of a lab cluster', () => {
    expect(membersSuffice(false, [{ Zone: 'a' }, { Zone: 'a' }])).toBe(false);
    expect(membersSuffice(false, twoZones)).toBe(true);
    expect(membersSuffice(true, [{ Zone: 'a' }])).toBe(true);
    expect(membersSuffice(true, [])).toBe(false);
  });
});

describe('resumeStep', () => {
  it('starts at the module without modules and at the cluster with one', () => {
    expect(resumeStep(facts({ moduleCount: 0 }))).toBe('module');
    expect(resumeStep(facts({}))).toBe('cluster');
  });

  it('follows the cluster state, members and zones', () => {
    expect(resumeStep(facts({ cluster: { State: 'UNINITIALIZED', LabCluster: false, Hsms: [{ Zone: 'a' }] } }))).toBe('hsms');
    expect(resumeStep(facts({ cluster: { State: 'UNINITIALIZED', LabCluster: false, Hsms: twoZones } }))).toBe('initialize');
    expect(resumeStep(facts({ cluster: { State: 'INITIALIZED', LabCluster: false, Hsms: twoZones } }))).toBe('activate');
  });

  it('then the crypto user, the key store, its connection and a first key', () => {
    const cluster = { State: 'ACTIVE' as const, LabCluster: false, Hsms: twoZones };
    expect(resumeStep(facts({ cluster }))).toBe('crypto-user');
    expect(resumeStep(facts({ cluster, hasKmsUser: true }))).toBe('key-store');
    expect(resumeStep(facts({ cluster, hasKmsUser: true, keyStore: { ConnectionState: 'FAILED', KeyCount: 0 } }))).toBe('connect');
    expect(resumeStep(facts({ cluster, hasKmsUser: true, keyStore: { ConnectionState: 'CONNECTED', KeyCount: 0 } }))).toBe('first-key');
    expect(resumeStep(facts({ cluster: { ...cluster, State: 'DEGRADED' }, hasKmsUser: true, keyStore: { ConnectionState: 'CONNECTED', KeyCount: 2 } }))).toBe('done');
  });

  it('orders the steps', () => {
    expect(stepIndex('module')).toBe(0);
    expect(stepIndex('first-key')).toBe(8);
    expect(stepIndex('done')).toBe(9);
  });
});

describe('parseEnvironment', () => {
  it('reads NAME=value lines and refuses anything else', () => {
    expect(parseEnvironment('# comment\nSOFTHSM2_CONF=/tmp/a=b.conf\n\n')).toEqual({ ok: true, environment: { SOFTHSM2_CONF: '/tmp/a=b.conf' } });
    expect(parseEnvironment('lower=x')).toEqual({ ok: false, problem: 'line 1: expected NAME=value with an upper-case NAME' });
    expect(parseEnvironment('NOVALUE')).toMatchObject({ ok: false });
  });
});

describe('memberRemovable', () => {
  const member = (HsmId: string, Zone: string, State: 'UNINITIALIZED' | 'INITIALIZED' = 'INITIALIZED') => ({ HsmId, Zone, State });

  it('lets any member go before initialization and a member that has not joined at any time', () => {
    const hsms = [member('h1', 'a', 'UNINITIALIZED'), member('h2', 'b', 'UNINITIALIZED')];
    expect(memberRemovable({ State: 'UNINITIALIZED', LabCluster: false, Hsms: hsms }, 'h1')).toBe(true);
    const active = [member('h1', 'a'), member('h2', 'b'), member('h3', 'c', 'UNINITIALIZED')];
    expect(memberRemovable({ State: 'ACTIVE', LabCluster: false, Hsms: active }, 'h3')).toBe(true);
  });

  it('never lets the owner go, and others only while two zones remain (one HSM in a lab cluster)', () => {
    const three = [member('h1', 'a'), member('h2', 'b'), member('h3', 'c')];
    expect(memberRemovable({ State: 'ACTIVE', LabCluster: false, Hsms: three }, 'h1')).toBe(false);
    expect(memberRemovable({ State: 'ACTIVE', LabCluster: false, Hsms: three }, 'h2')).toBe(true);
    const two = [member('h1', 'a'), member('h2', 'b'), member('h3', 'c', 'UNINITIALIZED')];
    expect(memberRemovable({ State: 'DEGRADED', LabCluster: false, Hsms: two }, 'h2')).toBe(false);
    expect(memberRemovable({ State: 'ACTIVE', LabCluster: true, Hsms: [member('h1', 'a'), member('h2', 'a')] }, 'h2')).toBe(true);
    expect(memberRemovable({ State: 'ACTIVE', LabCluster: false, Hsms: three }, 'h9')).toBe(false);
  });
});
