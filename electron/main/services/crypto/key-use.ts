import type { KeyUsage, OperationName } from '../../../../shared/contract';
import { errorCodeOf } from '../../../../shared/errors';
import type { KeyRow, KeyVersionRow } from '../../registry';
import type { AuditTrail } from '../audit/audit-trail';
import type { KeyResolver } from '../keys/key-resolver';
import type { ExternalKeyLayer } from '../external/external-key-layer';
import type { KeyStoreConnections, TokenHandle } from '../keystores/connections';
import type { RequestContext } from '../request-context';

/** A key that passed every check for one use: Enabled, made for the usage, version known. */
export interface UsableKey {
  key: KeyRow;
  version: KeyVersionRow;
}

/** What the HSM call needs beyond the key: AES-GCM does not reach network (p11-kit) members. */
export interface TokenNeeds {
  aesGcm?: boolean;
}

/**
 * What every cryptographic operation does around its HSM call: resolve and check the key, pick the
 * token, and record the use (success or failure) through the group-commit audit writer.
 */
export class KeyUse {
  constructor(
    private readonly connections: KeyStoreConnections,
    readonly resolver: KeyResolver,
    private readonly audit: AuditTrail,
    /** The XKS proxies of connected external key stores (the outer layer of their keys). */
    readonly external: ExternalKeyLayer,
    /** The store whose HSM holds a key's versions (keys/material-store.ts: the default store for an external key). */
    private readonly materialStoreOf: (key: KeyRow) => string,
  ) {}

  /** Resolves `identifier`, requires it Enabled and for `usage`, and finds the version (primary when omitted). */
  usable(identifier: string, usage: KeyUsage, versionId?: string): UsableKey {
    const key = this.resolver.resolve(identifier);
    this.resolver.requireUsable(key, usage);
    return { key, version: this.resolver.version(key, versionId) };
  }

  /**
   * Runs `call` on a token of the key's store. Every token of a store holds every key (cluster
   * replication), so any one answers: an unreachable member is dropped and the next one tried.
   * An external key's own material is in the default key store's token.
   */
  onToken<T>(key: KeyRow, needs: TokenNeeds, call: (token: TokenHandle) => Promise<T>): Promise<T> {
    return this.connections.withToken(this.materialStoreOf(key), needs, call);
  }

  /** Runs a crypto call and records its use; failures are recorded with their code and rethrown. */
  async record<T>(
    operation: OperationName,
    keyReference: string,
    request: RequestContext,
    run: () => Promise<{ result: T; keyId: string }>,
  ): Promise<T> {
    try {
      const { result, keyId } = await run();
      this.audit.recordUsage(request, { operation, resourceId: keyId }, null);
      return result;
    } catch (error) {
      const code = errorCodeOf(error) ?? 'InternalFailure';
      this.audit.recordUsage(request, { operation, resourceId: keyReference.slice(0, 256) }, code);
      throw error;
    }
  }
}
