/**
 * Issue 18, finding 1: a module's Environment reached the worker unchecked (NODE_OPTIONS ran code
 * in it) on top of the parent's whole process.env. The contract schema and the hsm layer's
 * environment builder both allow only the PKCS#11 variables, with checked values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract';
import { buildWorkerEnvironment, WORKER_BASE_ENVIRONMENT } from '../../../electron/main/hsm/worker-environment';

const register = (Environment: Record<string, string>): ReturnType<typeof contract.RegisterModule.input.safeParse> =>
  contract.RegisterModule.input.safeParse({ Path: '/usr/lib/softhsm/libsofthsm2.so', Name: 'x', Environment });

const refusedNames = ['NODE_OPTIONS', 'NODE_PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'PATH', 'HOME', 'OPENSC_CONF', 'KMS_DEFAULT_KEYSTORE_PASSWORD', 'ELECTRON_RUN_AS_NODE', 'GCONV_PATH'];

describe('RegisterModule Environment (contract schema)', () => {
  it('accepts the PKCS#11 variables with plausible values', () => {
    expect(register({ SOFTHSM2_CONF: '/home/officer/softhsm2.conf' }).success).toBe(true);
    expect(register({ P11_KIT_SERVER_ADDRESS: 'unix:path=/run/user/1000/p11-kit/pkcs11' }).success).toBe(true);
    expect(register({ YUBIHSM_PKCS11_CONF: '/etc/yubihsm_pkcs11.conf' }).success).toBe(true);
    expect(register({}).success).toBe(true);
  });

  it.each(refusedNames)('refuses %s with a message that names the allowed variables', (name) => {
    const parsed = register({ [name]: '/usr/lib/x' });
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path).toEqual(['Environment', name]);
    expect(issue?.message).toContain(`${name} is refused`);
    expect(issue?.message).toContain('SOFTHSM2_CONF, P11_KIT_SERVER_ADDRESS');
  });

  it('says why loader variables are refused', () => {
    expect(register({ NODE_OPTIONS: '--import=data:text/javascript,0' }).error?.issues[0]?.message).toContain('loads code');
    expect(register({ LD_PRELOAD: '/tmp/evil.so' }).error?.issues[0]?.message).toContain('loads code');
  });

  it.each([
    ['a newline', { SOFTHSM2_CONF: '/etc/softhsm2.conf\nNODE_OPTIONS=x' }],
    ['a NUL', { SOFTHSM2_CONF: '/etc/softhsm2.conf\0' }],
    ['an escape', { SOFTHSM2_CONF: '/etc/\u001b[2Jsofthsm2.conf' }],
    ['a relative path', { SOFTHSM2_CONF: 'softhsm2.conf' }],
    ['an empty value', { SOFTHSM2_CONF: '' }],
    ['an over-long value', { SOFTHSM2_CONF: `/${'a'.repeat(4096)}` }],
    ['an address that is not p11-kit’s', { P11_KIT_SERVER_ADDRESS: 'tcp:evil.example:1234' }],
  ])('refuses a value with %s', (_what, env) => {
    expect(register(env).success).toBe(false);
  });
});

describe('buildWorkerEnvironment (hsm layer)', () => {
  const canary = 'KW_UNIT_PARENT_CANARY';
  afterEach(() => {
    delete process.env[canary];
  });

  it('is the fixed base plus the module variables, nothing from process.env', () => {
    process.env[canary] = 'parent-only';
    const env = buildWorkerEnvironment({ SOFTHSM2_CONF: '/srv/softhsm2.conf' });
    expect(env).toEqual({ ...WORKER_BASE_ENVIRONMENT, SOFTHSM2_CONF: '/srv/softhsm2.conf' });
    expect(Object.keys(env).sort()).toEqual(['LANG', 'PATH', 'SOFTHSM2_CONF']);
  });

  it('uses an explicit base instead of the default', () => {
    expect(buildWorkerEnvironment({}, { ONLY: 'this' })).toEqual({ ONLY: 'this' });
  });

  it('refuses a stored environment that breaks the allowlist, with HsmError.ModuleLoadFailed', () => {
    const refused: Record<string, string>[] = [{ NODE_OPTIONS: '--require=/tmp/x.cjs' }, { LD_PRELOAD: '/tmp/evil.so' }, { SOFTHSM2_CONF: '/x\nLD_PRELOAD=/y' }];
    for (const env of refused) {
      let caught: unknown;
      try {
        buildWorkerEnvironment(env);
      } catch (error) {
        caught = error;
      }
      expect((caught as { code?: string }).code).toBe('HsmError.ModuleLoadFailed');
      expect((caught as Error).message).toContain('Deregister the module');
    }
  });

  it('cannot be tricked by an inherited name', () => {
    const inherited = Object.create({ SOFTHSM2_CONF: '/inherited' }) as Record<string, string>;
    inherited.NODE_OPTIONS = '--import=x';
    expect(() => buildWorkerEnvironment(inherited)).toThrow(/NODE_OPTIONS is refused/);
    expect(() => buildWorkerEnvironment({ constructor: '/x' } as Record<string, string>)).toThrow(/constructor is refused/);
  });
});
