import { h, type VNodeChild } from 'vue';
import type { KmsClientError } from '../api/errors';
import { formatUtc } from '../lib/format';
import { t } from '../i18n';
import '../i18n/areas/ceremonies';

/** Where the inbox lives; a plain hash link, since notifications render outside the router's app. */
export const APPROVALS_HREF = '#/approvals';

/** The title of the notice: which operation waits, for how many officers. */
export function quorumNoticeTitle(error: KmsClientError): string {
  const needed = error.Details.MinApprovals ?? '?';
  const operation = operationOf(error.Message);
  return t('ceremonies.quorumNotice.title', { operation, count: needed });
}

/** The body: the request id and digest the officers check, and a way to the inbox (which dismisses the notice). */
export function quorumNoticeContent(error: KmsClientError, dismiss: () => void): () => VNodeChild {
  const id = error.Details.ApprovalRequestId ?? '';
  const digest = error.Details.RequestDigest ?? '';
  return () =>
    h('div', { 'data-testid': 'quorum-notice', 'data-request-id': id }, [
      h('div', [`${t('ceremonies.quorumNotice.request')} `, h('span', { class: 'mono', 'data-testid': 'quorum-notice-request' }, id)]),
      h('div', { class: 'mono small', style: 'word-break: break-all', 'data-testid': 'quorum-notice-digest' }, t('ceremonies.quorumNotice.digest', { digest })),
      error.Details.Expires ? h('div', { class: 'small' }, t('ceremonies.quorumNotice.until', { date: formatUtc(error.Details.Expires) })) : null,
      h('a', { href: APPROVALS_HREF, 'data-testid': 'quorum-notice-inbox', style: 'display:inline-block;margin-top:6px', onClick: dismiss }, t('ceremonies.quorumNotice.inbox')),
    ]);
}

/** The host's message starts with the operation's name ("ScheduleKeyDeletion needs 2 officers' …"). */
function operationOf(message: string): string {
  return /^[A-Za-z]+/.exec(message)?.[0] ?? t('ceremonies.quorumNotice.thisOperation');
}
