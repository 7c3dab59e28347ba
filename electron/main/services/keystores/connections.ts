import type { ConnectionErrorCode, ConnectionState } from '../../../../shared/contract';
import { errorCodeOf, KmsError } from '../../../../shared/errors';
import { bindToken, ckrOf, type HsmModuleClient, type HsmToken } from '../../hsm';

/** One logged-in token a key store uses. */
export interface TokenHandle {
  /** The token's calls, its serial bound in: `token.hsm.sign({ objectId, ... })`. */
  hsm: HsmToken;
  /** The module the token lives on: its worker (whose crash ends this login), library and slots. */
  client: HsmModuleClient;
  /** Set for the members of a cluster key store: who it is and what its module can carry. */
  member?: TokenMember;
  /** The worker process that holds this login; a crash of an older worker does not touch it. */
  workerPid?: number;
}

/** The handle on `serial`'s token of `client`'s module. */
export function tokenHandle(client: HsmModuleClient, serial: string, extras: Pick<TokenHandle, 'member' | 'workerPid'> = {}): TokenHandle {
  return { hsm: bindToken(client, serial), client, ...extras };
}

export interface TokenMember {
  hsmId: string;
  moduleName: string;
  /** Reached through p11-kit-client: only secret keys replicate to it (over RSA-OAEP). */
  network: boolean;
  /** AES-GCM reaches the token (not through p11-kit 0.24). */
  aesGcm: boolean;
  /** AES key wrap with padding reaches the token (not through p11-kit 0.24). */
  aesKeyWrap: boolean;
}

/** Errors that mean "this member is gone", after which another member may serve the call. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'HsmError.DeviceError',
  'HsmError.DeviceRemoved',
  'HsmError.TokenNotPresent',
  'HsmError.WorkerCrashed',
]);

export function isUnreachable(error: unknown): error is KmsError {
  // Services raise these codes themselves too (no member answers), so any KmsError counts.
  return error instanceof KmsError && UNREACHABLE_CODES.has(error.code);
}

/**
 * The member lacks the key object, or its copy has no usable material (created, never written):
 * SoftHSM2 then answers CKR_KEY_SIZE_RANGE (HMAC) or CKR_MECHANISM_INVALID (AES). Members that do
 * not offer a mechanism at all are filtered out before (TokenNeeds), so the next member is tried.
 */
const DAMAGED_COPY_CKRS: ReadonlySet<string | null> = new Set(['CKR_KEY_SIZE_RANGE', 'CKR_MECHANISM_INVALID']);

function isMissingOrDamagedCopy(error: unknown): boolean {
  return errorCodeOf(error) === 'HsmError.ObjectNotFound' || DAMAGED_COPY_CKRS.has(ckrOf(error));
}

export type TokenLostListener = (keyStoreId: string, token: TokenHandle) => void;

interface Connection {
  state: ConnectionState;
  errorCode: ConnectionErrorCode | null;
  tokens: TokenHandle[];
  /** Every member of a cluster store, connected or not (replication checks what each can receive). */
  members?: readonly TokenMember[];
}

/**
 * Connection state lives in memory: a login belongs to this process, and a new process (a CLI call,
 * a restart) starts disconnected because Keyward never keeps a password to log in again with.
 */
export class KeyStoreConnections {
  private readonly connections = new Map<string, Connection>();
  private readonly connectedListeners = new Set<(keyStoreId: string) => void>();
  private readonly lostListeners = new Set<TokenLostListener>();

  /**
   * Called whenever a key store becomes CONNECTED, or a connected cluster store gets members back
   * (work that needs its HSMs, or all of them, can run now). Returns the unsubscribe.
   */
  onConnected(listener: (keyStoreId: string) => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  /** Told whenever a member token of a connected store is dropped as unreachable. */
  onTokenLost(listener: TokenLostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Runs `fn` on the store's tokens in order until one answers: a member that turns out to be
   * unreachable is dropped from the connection (the store fails only when none is left), and a
   * member whose copy of the key is missing or damaged is passed over for the next.
   * `aesGcm` restricts to tokens that can run AES-GCM (a network member cannot).
   */
  async withToken<T>(keyStoreId: string, needs: { aesGcm?: boolean }, fn: (token: TokenHandle) => Promise<T>): Promise<T> {
    const tokens = this.requireTokens(keyStoreId);
    const usable = needs.aesGcm ? tokens.filter((token) => token.member?.aesGcm ?? true) : tokens;
    if (usable.length === 0) {
      const modules = [...new Set(tokens.map((token) => token.member?.moduleName ?? 'unknown'))].join(', ');
      throw new KmsError(
        'UnsupportedOperation',
        `AES-GCM does not reach any connected HSM of key store ${keyStoreId}: module ${modules} (a p11-kit network client) does not forward it.`,
      );
    }
    let lastError: unknown = null;
    let missingOn: unknown = null;
    for (const token of usable) {
      try {
        return await fn(token);
      } catch (error) {
        if (!token.member) throw error;
        if (isUnreachable(error)) {
          lastError = error;
          this.dropToken(keyStoreId, token);
        } else if (isMissingOrDamagedCopy(error)) {
          // A member back from an outage serves before SyncCluster has copied what it missed (or
          // replaced a copy a crash left damaged): another member holds the key.
          missingOn ??= error;
        } else {
          throw error;
        }
      }
    }
    const failure = missingOn ?? lastError;
    throw failure instanceof Error ? failure : new KmsError('HsmError.DeviceError', `No HSM of key store ${keyStoreId} answers.`);
  }

  /** Takes one member out of a connected store; with none left the store is FAILED/NETWORK_ERRORS. */
  dropToken(keyStoreId: string, token: TokenHandle): void {
    const connection = this.connections.get(keyStoreId);
    if (!connection || !connection.tokens.includes(token)) return;
    const remaining = connection.tokens.filter((candidate) => candidate !== token);
    if (remaining.length > 0) this.connections.set(keyStoreId, { ...connection, tokens: remaining });
    else this.connections.set(keyStoreId, { ...connection, state: 'FAILED', errorCode: 'NETWORK_ERRORS', tokens: [] });
    for (const listener of this.lostListeners) listener(keyStoreId, token);
  }

  /** Adds members that were logged in again (after they came back) to a connected store. */
  addTokens(keyStoreId: string, tokens: TokenHandle[]): void {
    const connection = this.connections.get(keyStoreId);
    if (!connection || connection.state !== 'CONNECTED') return;
    const known = new Set(connection.tokens.map((token) => token.member?.hsmId ?? token.hsm.serial));
    const added = tokens.filter((token) => !known.has(token.member?.hsmId ?? token.hsm.serial));
    // A member that joined the cluster after the connection is one of its members from now on.
    const knownMembers = new Set(connection.members?.map((member) => member.hsmId));
    const joined = added.flatMap((token) => (token.member && !knownMembers.has(token.member.hsmId) ? [token.member] : []));
    const members = connection.members ? { members: [...connection.members, ...joined] } : {};
    this.connections.set(keyStoreId, { ...connection, ...members, tokens: [...connection.tokens, ...added] });
  }

  /**
   * Takes a member that was removed from its cluster out of a connected store for good (its
   * token and its place among the members); not a loss, so no listener hears of it.
   */
  removeMember(keyStoreId: string, hsmId: string): TokenHandle[] {
    const connection = this.connections.get(keyStoreId);
    if (!connection) return [];
    const removed = connection.tokens.filter((token) => token.member?.hsmId === hsmId);
    const members = connection.members ? { members: connection.members.filter((member) => member.hsmId !== hsmId) } : {};
    this.connections.set(keyStoreId, { ...connection, ...members, tokens: connection.tokens.filter((token) => !removed.includes(token)) });
    return removed;
  }

  /** Members rejoined a connected cluster store (SyncCluster) and hold every key again: tell the onConnected listeners. */
  announceMembersBack(keyStoreId: string): void {
    if (this.get(keyStoreId).state !== 'CONNECTED') return;
    for (const listener of this.connectedListeners) listener(keyStoreId);
  }

  get(keyStoreId: string): { state: ConnectionState; errorCode: ConnectionErrorCode | null } {
    const connection = this.connections.get(keyStoreId);
    return { state: connection?.state ?? 'DISCONNECTED', errorCode: connection?.errorCode ?? null };
  }

  set(
    keyStoreId: string,
    state: ConnectionState,
    errorCode: ConnectionErrorCode | null,
    tokens: TokenHandle[] = [],
    members?: readonly TokenMember[],
  ): void {
    this.connections.set(keyStoreId, { state, errorCode, tokens, ...(members ? { members } : {}) });
    if (state === 'CONNECTED') for (const listener of this.connectedListeners) listener(keyStoreId);
  }

  /** All members of a connected cluster store, including those that are not logged in now. */
  membersOf(keyStoreId: string): readonly TokenMember[] {
    const connection = this.connections.get(keyStoreId);
    return connection?.members ?? connection?.tokens.flatMap((token) => (token.member ? [token.member] : [])) ?? [];
  }

  /** Tokens of a connected store, or none. */
  tokensOf(keyStoreId: string): TokenHandle[] {
    return this.connections.get(keyStoreId)?.tokens ?? [];
  }

  /** The tokens to run an operation on; refuses when the key store is not connected. */
  requireTokens(keyStoreId: string): TokenHandle[] {
    const connection = this.connections.get(keyStoreId);
    if (!connection || connection.state !== 'CONNECTED' || connection.tokens.length === 0) {
      const state = connection?.state ?? 'DISCONNECTED';
      throw new KmsError('Forbidden.KeyStoreState', `Key store ${keyStoreId} is ${state}; connect it with its password first.`);
    }
    return connection.tokens;
  }

  /**
   * A worker process died: its logins are gone. A single-token store must reconnect; a cluster
   * store loses only the members that worker served and stays connected through the others.
   */
  markClientLost(client: HsmModuleClient, workerPid?: number): string[] {
    const affected: string[] = [];
    for (const [keyStoreId, connection] of this.connections) {
      const lost = connection.tokens.filter(
        (token) => token.client === client && (workerPid === undefined || token.workerPid === undefined || token.workerPid === workerPid),
      );
      if (lost.length === 0) continue;
      affected.push(keyStoreId);
      if (lost.every((token) => token.member)) {
        for (const token of lost) this.dropToken(keyStoreId, token);
      } else {
        this.connections.set(keyStoreId, { state: 'FAILED', errorCode: 'INTERNAL_ERROR', tokens: [] });
      }
    }
    return affected;
  }
}
