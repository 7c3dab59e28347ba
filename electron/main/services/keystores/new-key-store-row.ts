import { randomUUID } from 'node:crypto';
import type { KeyStoreRow } from '../../registry';

/** A key store created by an officer (cluster or external): initialized, disconnected, no embedded token. */
export function newKeyStoreRow(fields: Pick<KeyStoreRow, 'name' | 'type' | 'protectionLevel' | 'clusterId'> & { id?: string }, now: string): KeyStoreRow {
  return {
    id: fields.id ?? `kst-${randomUUID()}`,
    name: fields.name,
    type: fields.type,
    protectionLevel: fields.protectionLevel,
    clusterId: fields.clusterId,
    moduleId: null,
    tokenSerial: null,
    tokenLabel: null,
    initialized: true,
    connectionState: 'DISCONNECTED',
    connectionErrorCode: null,
    createdAt: now,
    updatedAt: now,
  };
}
