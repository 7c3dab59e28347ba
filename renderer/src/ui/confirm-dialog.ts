import type { DialogOptions } from 'naive-ui';
import { t } from '../i18n';
import { loadFeedback } from './feedback-loader';

/** What a confirmation asks; the action runs on the positive button only. */
export interface ConfirmOptions {
  title: string;
  content: string;
  positiveText: string;
  negativeText?: string;
  onPositiveClick: () => void;
}

/** Asks before a destructive action; `error` styles the dialog for what cannot be undone. */
export function confirmDialog(kind: 'warning' | 'error', options: ConfirmOptions): void {
  const dialogOptions: DialogOptions = { negativeText: t('common.cancel'), ...options };
  loadFeedback().then(
    (feedback) => feedback.showConfirmDialog(kind, dialogOptions),
    (error: unknown) => console.error('Confirmation dialog unavailable', error),
  );
}
