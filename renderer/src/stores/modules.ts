import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { ModuleDetail, ModuleSuggestion, ModuleSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { rereadAfterChange } from './reread';

export type { ModuleDetail, ModuleSuggestion, ModuleSummary } from '../../../shared/contract';

/** Registered PKCS#11 modules and, on demand, their slots and tokens. */
export const useModulesStore = defineStore('modules', () => {
  const modules = ref<ModuleSummary[]>([]);
  const suggestions = ref<ModuleSuggestion[]>([]);
  const details = ref<Record<string, ModuleDetail>>({});

  async function refresh(): Promise<void> {
    const output = await invoke('ListModules', {});
    modules.value = output.Modules;
    suggestions.value = output.Suggestions;
  }

  async function describe(moduleId: string): Promise<ModuleDetail> {
    const { Module } = await invoke('DescribeModule', { ModuleId: moduleId });
    details.value = { ...details.value, [moduleId]: Module };
    return Module;
  }

  async function register(path: string, name: string, environment: Record<string, string>): Promise<string> {
    const { ModuleId } = await invoke('RegisterModule', { Path: path, Name: name, Environment: environment });
    await rereadAfterChange(refresh());
    return ModuleId;
  }

  /** Refused (Forbidden.ModuleInUse) while an HSM or key store uses the module. */
  async function deregister(moduleId: string): Promise<void> {
    await invoke('DeregisterModule', { ModuleId: moduleId });
    await rereadAfterChange(refresh());
  }

  return { modules, suggestions, details, refresh, describe, register, deregister };
});
