import type { OperationOutput } from '../../../shared/contract';
import { formatUtc } from './format';

type AnchorState = Pick<OperationOutput<'VerifyAuditLog'>, 'Anchor' | 'AnchorChecked' | 'UnanchoredRecords'>;

/** One sentence on how far the log is anchored in the HSM, or why that was not checked. */
export function anchorSummary(result: AnchorState): string {
  if (!result.AnchorChecked) {
    return 'Not checked against the anchor held in the HSM: the default key store is locked. Connect it and verify again to detect a rewritten log.';
  }
  if (!result.Anchor) return 'The HSM holds no anchor for this log yet (anchoring follows within seconds of a change).';
  const pending = result.UnanchoredRecords ?? 0;
  const newer = pending === 0 ? '' : ` ${pending} newer record${pending === 1 ? ' is' : 's are'} not anchored yet (anchoring follows within seconds).`;
  return `Anchored in the HSM up to record ${result.Anchor.Sequence} (${formatUtc(result.Anchor.Time)}).${newer}`;
}

/** What an officer writes down as a checkpoint (VerifyAuditLog ExpectedAnchor later). */
export function checkpointText(anchor: NonNullable<AnchorState['Anchor']>): string {
  return `Sequence ${anchor.Sequence}\nHash ${anchor.Hash}`;
}
