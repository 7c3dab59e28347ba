import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import type { KeyRow, StoredKeyVersionRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import { isUnreachable, type KeyStoreConnections, type TokenHandle } from '../keystores/connections';
import { expectsMaterial } from '../reconcile/object-owners';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { MaterialMismatch, roundTrip, type VersionMaterial } from './material-round-trip';

type Result = OperationResult<'VerifyKeyStoreMaterial'>;
type Problem = Result['Problems'][number];

/** Round trips in flight at once: keeps a few HSM sessions busy without starving the other callers. */
const CONCURRENCY = 4;
const PROGRESS_EVERY = 50;
const MESSAGE_MAX = 240;

/**
 * Failures that say nothing about the material: the HSM or its sessions went away, or the store
 * was disconnected meanwhile. They end the whole check (a retry can run it again) instead of
 * turning every remaining version into a problem.
 */
const ABORTING_CODES: ReadonlySet<string> = new Set(['Throttling.HsmSessionsBusy', 'Forbidden.KeyStoreState']);

interface CheckedVersion {
  version: StoredKeyVersionRow;
  material: VersionMaterial;
}

/**
 * VerifyKeyStoreMaterial: a round trip through every key version of a connected store, on every
 * connected token of it (each member of a cluster must hold every key), e.g. after a restore.
 */
export class MaterialCheckService {
  constructor(
    private readonly context: ServiceContext,
    private readonly connections: KeyStoreConnections,
    private readonly audit: AuditTrail,
  ) {}

  async verify(input: ParsedInput<'VerifyKeyStoreMaterial'>, request: RequestContext): Promise<Result> {
    const { registry } = this.context;
    const store = registry.keyStores.get(input.KeyStoreId);
    if (!store) throw new KmsError('NotFound.KeyStore', `Key store ${input.KeyStoreId} does not exist.`);
    // Taken once: a member dropped during the check must not shrink what the remaining versions are held to.
    const tokens = [...this.connections.requireTokens(store.id)];
    const versions = this.versionsToCheck(store.id);
    request.progress(0, `Checking ${versions.length} key versions on ${tokens.length} HSM token(s)`);

    const problems: Problem[] = [];
    let done = 0;
    await forEachBounded(versions, CONCURRENCY, async (entry) => {
      const problem = await this.checkVersion(store.id, tokens, entry);
      if (problem) problems.push(problem);
      done += 1;
      if (done % PROGRESS_EVERY === 0) request.progress(done / versions.length, `Checked ${done} of ${versions.length} key versions`);
    });

    problems.sort((a, b) => a.KeyId.localeCompare(b.KeyId) || a.KeyVersionId.localeCompare(b.KeyVersionId));
    const result: Result = { KeyStoreId: store.id, Checked: versions.length, Passed: versions.length - problems.length, Problems: problems };
    const details = { Checked: result.Checked, Passed: result.Passed, Problems: problems.length };
    this.audit.recordChange(request, { operation: 'VerifyKeyStoreMaterial', resourceId: store.id, details }, () => {
      // A restore's "not yet checked" mark goes only when every version proved itself.
      if (problems.length === 0) registry.backups.markChecked(store.id);
    });
    return result;
  }

  /**
   * Versions whose material must exist: not of deleted keys (tombstones), not awaiting import.
   * Disabled and PendingDeletion keys are checked: their material is still meant to be there.
   */
  private versionsToCheck(keyStoreId: string): CheckedVersion[] {
    const keys = new Map<string, KeyRow | null>();
    const checked: CheckedVersion[] = [];
    for (const version of this.context.registry.keyVersions.listByKeyStore(keyStoreId)) {
      if (!expectsMaterial(version)) continue;
      if (!keys.has(version.keyId)) keys.set(version.keyId, this.context.registry.keys.get(version.keyId));
      const key = keys.get(version.keyId);
      if (!key) continue;
      checked.push({ version, material: { keySpec: key.keySpec, keyUsage: key.keyUsage, objectId: version.objectId } });
    }
    return checked;
  }

  /** The version on every token; the first token that fails names the problem. */
  private async checkVersion(keyStoreId: string, tokens: readonly TokenHandle[], { version, material }: CheckedVersion): Promise<Problem | null> {
    for (const token of tokens) {
      try {
        await roundTrip(token.hsm, material, token.member?.aesGcm ?? true);
      } catch (error) {
        if (isUnreachable(error) || ABORTING_CODES.has(errorCodeOf(error) ?? '')) {
          if (token.member && isUnreachable(error)) this.connections.dropToken(keyStoreId, token);
          throw error;
        }
        const where = tokens.length > 1 ? ` (HSM ${token.member?.hsmId ?? token.hsm.serial})` : '';
        return {
          KeyId: version.keyId,
          KeyVersionId: version.id,
          Problem: errorCodeOf(error) === 'HsmError.ObjectNotFound' ? 'MISSING' : 'FAILED_ROUND_TRIP',
          Message: `${describeFailure(error)}${where}`.slice(0, MESSAGE_MAX),
        };
      }
    }
    return null;
  }
}

/** A short reason: our own verdict, or the HSM's error code and message (they never carry a PIN or key bytes). */
function describeFailure(error: unknown): string {
  if (error instanceof MaterialMismatch) return error.message;
  const code = errorCodeOf(error);
  if (code === 'HsmError.ObjectNotFound') return 'No object with this version’s CKA_ID on the token.';
  const message = error instanceof Error ? error.message : String(error);
  return `${code ?? 'InternalFailure'}: ${message}`;
}

/**
 * Runs `work` on every item with at most `limit` running at once. The first failure stops new
 * items from starting and is rethrown once the ones in flight have settled.
 */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
