import { ref, type MaybeRefOrGetter, type Ref } from 'vue';
import { useAction } from './useAction';

/**
 * The state of a dialog that runs one action and then shows its outcome (OutcomeModal): the
 * outcome, whether the action runs (a second run waits for the first), and closing, which also
 * forgets what the dialog was given. Failures are reported as by useAction and show nothing.
 */
export function useOutcome<Args extends unknown[], T>(
  show: Ref<boolean>,
  action: (...args: Args) => Promise<T>,
  label: MaybeRefOrGetter<string>,
  forget: () => void = () => undefined,
) {
  const outcome = ref(null) as Ref<T | null>;
  const { pending, run: runAction } = useAction(action, label);

  /** Resolves whether an outcome is shown now. */
  async function run(...args: Args): Promise<boolean> {
    if (pending.value) return false;
    const result = await runAction(...args);
    if (result === undefined) return false;
    outcome.value = result;
    return true;
  }

  function close(): void {
    forget();
    outcome.value = null;
    show.value = false;
  }

  return { outcome, pending, run, close };
}
