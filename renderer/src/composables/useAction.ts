import { ref, toValue, type MaybeRefOrGetter, type Ref } from 'vue';
import { reportError } from '../ui/report-error';

/** What a component hands to a button that runs an action: its pending state drives the spinner. */
export interface ActionHandle {
  pending: Ref<boolean>;
  run: () => Promise<unknown>;
}

/**
 * Runs a store action for a component: tracks `pending`, reports a failure once (notification) and
 * resolves to undefined instead of throwing, so templates stay free of try/catch.
 */
export function useAction<Args extends unknown[], Result>(action: (...args: Args) => Promise<Result>, context?: MaybeRefOrGetter<string>) {
  const pending = ref(false);
  async function run(...args: Args): Promise<Result | undefined> {
    pending.value = true;
    try {
      return await action(...args);
    } catch (error) {
      reportError(error, toValue(context));
      return undefined;
    } finally {
      pending.value = false;
    }
  }
  return { pending, run };
}
