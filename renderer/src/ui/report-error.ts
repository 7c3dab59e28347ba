import { h } from 'vue';
import { createDiscreteApi } from 'naive-ui';
import { isKmsClientError } from '../api/client';
import { themeOverrides } from './theme';

// Bottom right: never over the header's lock state and Lock button.
const { notification } = createDiscreteApi(['notification'], {
  configProviderProps: { themeOverrides },
  notificationProviderProps: { placement: 'bottom-right', max: 4 },
});

/** The one place a failed call becomes visible: Code as the title, Message, RequestId in small print. */
export function reportError(error: unknown, context?: string): void {
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
