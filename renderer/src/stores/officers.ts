import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { OperationInput } from '../../../shared/contract';
import { invoke } from '../api/client';
import type { Officer, QuorumPolicy } from '../lib/quorum';
import { rereadAfterChange } from './reread';

export type EnrollInput = OperationInput<'CreateOfficer'>;
export type PolicyInput = OperationInput<'UpdateQuorumPolicy'>;

/** Enrolled officers and the quorum policy in force (the Officers page). */
export const useOfficersStore = defineStore('officers', () => {
  const officers = ref<Officer[]>([]);
  const policy = ref<QuorumPolicy | null>(null);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const [listed, described] = await Promise.all([invoke('ListOfficers', {}), invoke('DescribeQuorumPolicy', {})]);
      officers.value = listed.Officers;
      policy.value = described;
    } finally {
      loading.value = false;
    }
  }

  /** Resolves with the enrolled officer: the page shows its fingerprint for the officer to compare. */
  async function enroll(input: EnrollInput): Promise<Officer> {
    const { Officer } = await invoke('CreateOfficer', input);
    await rereadAfterChange(load());
    return Officer;
  }

  async function disable(name: string): Promise<void> {
    await invoke('DisableOfficer', { Name: name });
    await rereadAfterChange(load());
  }

  /** Once a policy names operations, this answers QuorumRequired: the change waits in the inbox. */
  async function updatePolicy(input: PolicyInput): Promise<void> {
    policy.value = await invoke('UpdateQuorumPolicy', input);
  }

  return { officers, policy, loading, load, enroll, disable, updatePolicy };
});
