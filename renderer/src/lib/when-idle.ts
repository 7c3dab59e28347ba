/** Runs `task` once the browser is idle (at the latest after `timeoutMs`), i.e. after the first paint. */
export function whenIdle(task: () => void, timeoutMs = 2_000): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(task, { timeout: timeoutMs });
  else setTimeout(task, 0);
}

/** Runs `task` as soon as the browser has painted what is rendered now (a frame, then a task after it). */
export function afterNextPaint(task: () => void): void {
  requestAnimationFrame(() => setTimeout(task, 0));
}
