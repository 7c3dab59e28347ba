import { computed, h } from 'vue';
import { createDiscreteApi, type DialogOptions } from 'naive-ui';
import { isKmsClientError } from '../api/client';
import { t } from '../i18n';
import { naiveLocale } from '../i18n/page-language';
import { quorumNoticeContent, quorumNoticeTitle } from './quorum-notice';
import { themeOverrides } from './theme';

function createFeedbackApp() {
  return createDiscreteApi(['notification', 'dialog'], {
    configProviderProps: computed(() => ({
      themeOverrides,
      locale: naiveLocale.value?.locale ?? null,
      dateLocale: naiveLocale.value?.dateLocale ?? null,
    })),
    // Bottom right: never over the header's lock state and Lock button.
    notificationProviderProps: { placement: 'bottom-right', max: 4 },
  });
}

/**
 * Error notifications and confirmation dialogs, on Naive UI's discrete API (its own small app, so
 * no provider has to wrap the first screen). This chunk is fetched right after the first paint
 * (feedback-loader.ts); the app is mounted on the first notification or dialog, so that fetching
 * it costs the first screen no more than compiling it.
 */
let feedbackApp: ReturnType<typeof createFeedbackApp> | undefined;

function feedback(): ReturnType<typeof createFeedbackApp> {
  feedbackApp ??= createFeedbackApp();
  return feedbackApp;
}

/** One failed call: Code as the title, Message, RequestId in small print. */
export function showErrorNotification(error: unknown, context?: string): void {
  // Not a failure: the request now waits for officers' approvals in the inbox.
  if (isKmsClientError(error) && error.Code === 'QuorumRequired') {
    // The inbox has its own dialogs at the bottom right: the notice must not stay over them.
    const notice = feedback().notification.info({
      title: quorumNoticeTitle(error),
      content: quorumNoticeContent(error, () => notice.destroy()),
      duration: 30_000,
      keepAliveOnHover: true,
    });
    return;
  }
  if (isKmsClientError(error)) {
    feedback().notification.error({
      title: context ? `${context}: ${error.Code}` : error.Code,
      content: () => h('div', { 'data-testid': 'error-notification', 'data-code': error.Code }, error.Message),
      meta: error.RequestId ? () => h('span', { class: 'mono small' }, `RequestId ${error.RequestId}`) : undefined,
      duration: 10_000,
      keepAliveOnHover: true,
    });
    return;
  }
  console.error(error);
  feedback().notification.error({
    title: context ?? t('shell.feedback.unexpectedError'),
    content: error instanceof Error ? error.message : String(error),
    duration: 10_000,
  });
}

export function showConfirmDialog(kind: 'warning' | 'error', options: DialogOptions): void {
  feedback().dialog[kind](options);
}
