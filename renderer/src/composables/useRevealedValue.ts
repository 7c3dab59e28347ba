import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';

/** How long a revealed secret value stays on screen. */
export const REVEAL_SECONDS = 30;

/**
 * A secret value on screen for a component: shown on an explicit request, hidden again after
 * REVEAL_SECONDS, when the window is hidden, and when the component goes (leaving the page). The
 * value lives in this component only, never in a store.
 */
export function useRevealedValue<Value>() {
  const value = shallowRef<Value | null>(null);
  const secondsLeft = ref(0);
  let ticker: ReturnType<typeof setInterval> | undefined;

  function hide(): void {
    clearInterval(ticker);
    ticker = undefined;
    value.value = null;
    secondsLeft.value = 0;
  }

  function show(next: Value): void {
    hide();
    value.value = next;
    // A deadline, not a count of ticks: timers of a throttled or sleeping window run late.
    const hideAt = Date.now() + REVEAL_SECONDS * 1_000;
    secondsLeft.value = REVEAL_SECONDS;
    ticker = setInterval(() => {
      secondsLeft.value = Math.ceil((hideAt - Date.now()) / 1_000);
      if (secondsLeft.value <= 0) hide();
    }, 1_000);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'hidden') hide();
  }
  onMounted(() => document.addEventListener('visibilitychange', onVisibility));
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    hide();
  });

  return { value, secondsLeft, show, hide };
}
