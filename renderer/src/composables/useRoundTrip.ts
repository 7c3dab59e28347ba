import { ref, type MaybeRefOrGetter } from 'vue';
import { useAction } from './useAction';

/**
 * The operation side of a crypto panel (Encrypt, Sign, GenerateMac): runs `produce`, keeps its base64
 * result for display and hands it to the input of the inverse side (Decrypt, Verify), where it can be replaced.
 */
export function useRoundTrip(produce: () => Promise<string>, context: MaybeRefOrGetter<string>) {
  const result = ref('');
  const inverseInput = ref('');
  const action = useAction(async () => {
    result.value = await produce();
    inverseInput.value = result.value;
  }, context);
  return { result, inverseInput, action };
}
