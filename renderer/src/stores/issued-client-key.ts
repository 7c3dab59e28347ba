import { shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { OperationInput, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';

export type IssuedClientKey = Omit<OperationOutput<'CreateClientKey'>, 'RequestId'>;
/** NotBefore / NotAfter; an absent one takes CreateClientKey's default. */
export type ClientKeyValidityRequest = Pick<OperationInput<'CreateClientKey'>, 'NotBefore' | 'NotAfter'>;

/**
 * The client key just issued, held for its one-time view only: the PKCS#12 and the access key
 * secret exist nowhere else (Keyward keeps neither), so the view offers them once and `forget()`
 * drops them when it closes or is left. The password passes through `issue` and is not kept.
 */
export const useIssuedClientKeyStore = defineStore('issuedClientKey', () => {
  const issued = shallowRef<IssuedClientKey | null>(null);
  const aapName = shallowRef('');

  async function issue(forAap: string, password: string, validity: ClientKeyValidityRequest = {}): Promise<IssuedClientKey> {
    forget();
    const { RequestId: _requestId, ...output } = await invoke('CreateClientKey', { ...validity, AapName: forAap, Password: password });
    issued.value = output;
    aapName.value = forAap;
    return output;
  }

  function forget(): void {
    issued.value = null;
    aapName.value = '';
  }

  return { issued, aapName, issue, forget };
});
