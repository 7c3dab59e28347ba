import { h } from 'vue';
import { createDiscreteApi, type DialogOptions } from 'naive-ui';
import { isKmsClientError } from '../api/client';
import { themeOverrides } from './theme';

/**
 * Error notifications and confirmation dialogs, on Naive UI's discrete API (its own small app, so
 * no provider has to wrap the first screen). Loaded on demand through feedback-loader.ts.
 */
const { notification, dialog } = createDiscreteApi(['notification', 'dialog'], {
  configProviderProps: { themeOverrides },
  // Bottom right: never over the header's lock state and Lock button.
  notificationProviderProps: { placement: 'bottom-right', max: 4 },
});

/** One failed call: Code as the title, Message, RequestId in small print. */
export function showErrorNotification(error: unknown, context?: string): void {
  if (isKmsClientError(error)) {
    notification.error({
      title: context ? `${context}: ${error.Code}` : error.Code,
      content: () => h('div', { 'data-testid': 'error-notification', 'data-code': error.Code }, error.Message),
      meta: error.RequestId ? () => h('span', { class: 'mono small' }, `RequestId ${error.RequestId}`) : undefined,
      duration: 10_000,
      keepAliveOnHover: true,
    });
    return;
  }
  console.error(error);
  notification.error({
    title: context ?? 'Unexpected error',
    content: error instanceof Error ? error.message : String(error),
    duration: 10_000,
  });
}

export function showConfirmDialog(kind: 'warning' | 'error', options: DialogOptions): void {
  dialog[kind](options);
}
