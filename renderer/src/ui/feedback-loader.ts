type Feedback = typeof import('./feedback');

/**
 * feedback.ts (Naive UI's discrete API: an app of its own with every provider) is not needed to
 * paint the first screen, so it is a chunk of its own. main.ts loads it right after the first paint,
 * while the host that serves the chunks is surely reachable, so a later failure (the host gone
 * included) is still shown at once.
 */
let feedback: Promise<Feedback> | undefined;

export function loadFeedback(): Promise<Feedback> {
  feedback ??= import('./feedback').catch((error: unknown) => {
    feedback = undefined; // the next call tries again
    throw error;
  });
  return feedback;
}
