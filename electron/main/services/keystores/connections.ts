import type { ConnectionErrorCode, ConnectionState } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { HsmModuleClient } from '../../hsm';

/** One logged-in token a key store uses. */
export interface TokenHandle {
  client: HsmModuleClient;
  serial: string;
}

interface Connection {
  state: ConnectionState;
  errorCode: ConnectionErrorCode | null;
  tokens: TokenHandle[];
}

/**
 * Connection state lives in memory: a login belongs to this process, and a new process (a CLI call,
 * a restart) starts disconnected because Keyward never keeps a password to log in again with.
 */
export class KeyStoreConnections {
  private readonly connections = new Map<string, Connection>();
  private readonly connectedListeners = new Set<(keyStoreId: string) => void>();

  /** Called whenever a key store becomes CONNECTED (work that needs its HSMs can run now). Returns the unsubscribe. */
  onConnected(listener: (keyStoreId: string) => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  get(keyStoreId: string): { state: ConnectionState; errorCode: ConnectionErrorCode | null } {
    const connection = this.connections.get(keyStoreId);
    return { state: connection?.state ?? 'DISCONNECTED', errorCode: connection?.errorCode ?? null };
  }

  set(keyStoreId: string, state: ConnectionState, errorCode: ConnectionErrorCode | null, tokens: TokenHandle[] = []): void {
    this.connections.set(keyStoreId, { state, errorCode, tokens });
    if (state === 'CONNECTED') for (const listener of this.connectedListeners) listener(keyStoreId);
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

  /** A worker process died: its logins are gone, so every key store using it must reconnect. */
  markClientLost(client: HsmModuleClient): string[] {
    const affected: string[] = [];
    for (const [keyStoreId, connection] of this.connections) {
      if (connection.tokens.some((token) => token.client === client)) {
        this.connections.set(keyStoreId, { state: 'FAILED', errorCode: 'INTERNAL_ERROR', tokens: [] });
        affected.push(keyStoreId);
      }
    }
    return affected;
  }
}
