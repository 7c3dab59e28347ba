import type { KeySpec } from '../../../../shared/contract';
import type { KeyStoreRow } from '../../registry';
import type { KeyStoreConnections } from '../keystores/connections';
import type { RequestContext } from '../request-context';

/*
 * Types shared by key-material.ts and clusters/replication.ts. They live apart because
 * key-material imports replication at run time, and dependency-cruiser counts type imports too
 * (tsPreCompilationDeps): declaring them in key-material would make a cycle.
 */

/** What it takes to generate one key version's objects in a key store. */
export interface VersionMaterialArgs {
  connections: KeyStoreConnections;
  store: KeyStoreRow;
  keyId: string;
  versionId: string;
  keySpec: KeySpec;
  request: RequestContext | null;
}
