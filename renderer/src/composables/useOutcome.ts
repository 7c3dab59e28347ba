import { ref, type Ref } from 'vue';
import { reportError } from '../ui/report-error';

/**
 * The state of a dialog that runs one action and then shows its outcome (OutcomeModal): the
 * outcome, whether the action runs, and closing, which also forgets what the dialog was given.
 */
export function useOutcome<T>(show: Ref<boolean>, forget: () => void = () => undefined) {
  const outcome = ref(null) as Ref<T | null>;
  const pending = ref(false);

  /** Runs `action` unless one runs already; a failure is reported under `label` and nothing is shown. */
  async function run(action: () => Promise<T>, label: string): Promise<boolean> {
    if (pending.value) return false;
    pending.value = true;
    try {
      outcome.value = await action();
      return true;
    } catch (error) {
      reportError(error, label);
      return false;
    } finally {
      pending.value = false;
    }
  }

  function close(): void {
    forget();
    outcome.value = null;
    show.value = false;
  }

  return { outcome, pending, run, close };
}
