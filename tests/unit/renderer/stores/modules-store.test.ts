import { describe, expect, it } from 'vitest';
import type { ModuleDetail, ModuleSuggestion, ModuleSummary, OperationResult } from '../../../../shared/contract';
import { KmsClientError } from '../../../../renderer/src/api/errors';
import { useModulesStore } from '../../../../renderer/src/stores/modules';
import { fakeHost, stub } from '../support/fake-host';

function modulesHost() {
  const modules = [stub<ModuleSummary>({ ModuleId: 'builtin', Builtin: true })];
  return fakeHost({
    ListModules: () => ({ Modules: [...modules], Suggestions: [stub<ModuleSuggestion>({ Path: '/usr/lib/vendor/libpkcs11.so' })] }),
    DescribeModule: (input) => ({ Module: stub<ModuleDetail>({ ModuleId: input.ModuleId, Name: `name of ${input.ModuleId}` }) }),
    RegisterModule: (input) => {
      modules.push(stub<ModuleSummary>({ ModuleId: 'vendor', Name: input.Name, Builtin: false }));
      return stub<OperationResult<'RegisterModule'>>({ ModuleId: 'vendor' });
    },
    DeregisterModule: (input) => {
      if (input.ModuleId === 'builtin') throw new KmsClientError('Forbidden.ModuleInUse', 'the default key store uses it');
      modules.splice(modules.findIndex((module) => module.ModuleId === input.ModuleId), 1);
      return stub<OperationResult<'DeregisterModule'>>({ ModuleId: input.ModuleId });
    },
  });
}

describe('the modules store', () => {
  it('lists modules and suggestions, and shows a registered module', async () => {
    const host = modulesHost();
    const store = useModulesStore();
    await store.refresh();
    expect(store.suggestions).toEqual([{ Path: '/usr/lib/vendor/libpkcs11.so' }]);
    expect(await store.register('/usr/lib/vendor/libpkcs11.so', 'Vendor HSM', { VENDOR_CONF: '/etc/vendor.conf' })).toBe('vendor');
    expect(host.inputsOf('RegisterModule')).toEqual([{ Path: '/usr/lib/vendor/libpkcs11.so', Name: 'Vendor HSM', Environment: { VENDOR_CONF: '/etc/vendor.conf' } }]);
    expect(store.modules.map((module) => module.ModuleId)).toEqual(['builtin', 'vendor']);
  });

  it('keeps each described module by id', async () => {
    const host = modulesHost();
    const store = useModulesStore();
    await store.describe('a');
    await store.describe('b');
    expect(Object.keys(store.details)).toEqual(['a', 'b']);
    expect(store.details.b?.Name).toBe('name of b');
    expect(host.inputsOf('DescribeModule')).toEqual([{ ModuleId: 'a' }, { ModuleId: 'b' }]);
  });

  it('deregisters a module, and propagates a refusal while it is in use without re-reading', async () => {
    const host = modulesHost();
    const store = useModulesStore();
    await store.register('/usr/lib/vendor/libpkcs11.so', 'Vendor HSM', {});
    await store.deregister('vendor');
    expect(store.modules.map((module) => module.ModuleId)).toEqual(['builtin']);
    await expect(store.deregister('builtin')).rejects.toMatchObject({ Code: 'Forbidden.ModuleInUse' });
    expect(store.modules.map((module) => module.ModuleId)).toEqual(['builtin']);
    expect(host.operations()).toEqual(['RegisterModule', 'ListModules', 'DeregisterModule', 'ListModules', 'DeregisterModule']);
  });
});
