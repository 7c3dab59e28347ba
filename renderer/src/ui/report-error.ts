import { loadFeedback } from './feedback-loader';

/** The one place a failed call becomes visible: Code as the title, Message, RequestId in small print. */
export function reportError(error: unknown, context?: string): void {
  loadFeedback().then(
    (feedback) => feedback.showErrorNotification(error, context),
    () => console.error(context ?? 'Unexpected error', error),
  );
}
