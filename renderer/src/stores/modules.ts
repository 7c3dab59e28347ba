import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { z } from 'zod';
import type { moduleDetailSchema, moduleSummarySchema } from '../../../shared/contract';
import { invoke } from '../api/client';

export type ModuleSummary = z.infer<typeof moduleSummarySchema>;
export type ModuleDetail = z.infer<typeof moduleDetailSchema>;

/** Registered PKCS#11 modules and, on demand, their slots and tokens. */
export const useModulesStore = defineStore('modules', () => {
  const modules = ref<ModuleSummary[]>([]);
  const details = ref<Record<string, ModuleDetail>>({});

  async function refresh(): Promise<void> {
    modules.value = (await invoke('ListModules', {})).Modules;
  }

  async function describe(moduleId: string): Promise<ModuleDetail> {
    const { Module } = await invoke('DescribeModule', { ModuleId: moduleId });
    details.value = { ...details.value, [moduleId]: Module };
    return Module;
  }

  async function register(path: string, name: string, environment: Record<string, string>): Promise<string> {
    const { ModuleId } = await invoke('RegisterModule', { Path: path, Name: name, Environment: environment });
    await refresh();
    return ModuleId;
  }

  return { modules, details, refresh, describe, register };
});
