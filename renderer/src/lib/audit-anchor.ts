import type { OperationOutput } from '../../../shared/contract';
import { t, tn } from '../i18n';
import '../i18n/areas/access';
import { formatUtc } from './format';

type AnchorState = Pick<OperationOutput<'VerifyAuditLog'>, 'Anchor' | 'AnchorChecked' | 'UnanchoredRecords'>;

/** One sentence on how far the log is anchored in the HSM, or why that was not checked. */
export function anchorSummary(result: AnchorState): string {
  if (!result.AnchorChecked) return t('access.audit.anchor.notChecked');
  if (!result.Anchor) return t('access.audit.anchor.none');
  const pending = result.UnanchoredRecords ?? 0;
  const place = { sequence: result.Anchor.Sequence, time: formatUtc(result.Anchor.Time) };
  return pending === 0 ? t('access.audit.anchor.anchored', place) : tn('access.audit.anchor.anchoredPending', pending, place);
}

/** What an officer writes down as a checkpoint (VerifyAuditLog ExpectedAnchor later). */
export function checkpointText(anchor: NonNullable<AnchorState['Anchor']>): string {
  return t('access.audit.anchor.checkpoint', { sequence: anchor.Sequence, hash: anchor.Hash });
}
