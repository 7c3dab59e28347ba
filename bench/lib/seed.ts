/** Fills a data directory's registry with many keys directly (the HSM mints ~180 keys/s; a benchmark cannot wait for 100k). */
import path from 'node:path';
import type { KeyState } from '../../shared/contract';
import { createCore } from '../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { openRegistry, type KeyRow } from '../../electron/main/registry';
import { seededKeyRow } from '../../tests/support/key-rows';

const STATES: readonly KeyState[] = [...Array<KeyState>(7).fill('Enabled'), 'Disabled', 'Disabled', 'PendingDeletion'];
const T0 = Date.parse('2025-01-01T00:00:00.000Z');

export function benchKeyRow(index: number, keyStoreId: string): KeyRow {
  return seededKeyRow(index, T0, { keyStoreId, keyState: STATES[index % STATES.length]!, creator: 'bench' });
}

/** Creates the schema through a core, then inserts `count` key rows (a third with an alias) into the default store. */
export async function seedKeys(dataDir: string, count: number): Promise<void> {
  await (await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'bench' })).close();
  const registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
  try {
    const keyStoreId = registry.keyStores.getDefault()!.id;
    for (let start = 0; start < count; start += 5000) {
      registry.transaction(() => {
        for (let index = start; index < Math.min(count, start + 5000); index += 1) {
          const row = benchKeyRow(index, keyStoreId);
          registry.keys.insert(row);
          if (index % 3 === 0) registry.aliases.insert({ aliasName: `alias/app-${index}`, keyId: row.id, createdAt: row.createdAt, updatedAt: row.createdAt });
        }
      });
    }
  } finally {
    registry.close();
  }
}
