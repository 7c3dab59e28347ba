import { randomUUID } from 'node:crypto';
import { KEY_SPECS, USAGES_BY_SPEC } from '../../shared/contract';
import type { KeyRow } from '../../electron/main/registry';

/** A complete registry row for a key with no material: tests, UI seeding and benchmarks override what they need. */
export function keyRow(overrides: Partial<KeyRow> = {}): KeyRow {
  return {
    id: randomUUID(),
    description: '',
    keySpec: 'Aliyun_AES_256',
    keyUsage: 'ENCRYPT/DECRYPT',
    origin: 'Aliyun_KMS',
    protectionLevel: 'SOFTWARE',
    keyStoreId: 'kst-default',
    keyState: 'Enabled',
    creator: 'officer',
    createdAt: '2025-01-01T00:00:01.000Z',
    deleteDate: null,
    materialExpireTime: null,
    primaryVersionId: null,
    automaticRotation: 'Disabled',
    rotationInterval: null,
    nextRotationDate: null,
    lastRotationDate: null,
    deletedAt: null,
    xksKeyId: null,
    ...overrides,
  };
}

/** The ten specs of the seeds: suites count on their tenths of 100,000 keys (a spec added later must not shift them). */
const SEEDED_SPECS = KEY_SPECS.slice(0, 10);

/** The `index`-th of many seeded keys: specs in turn (each with its first usage), one second apart from `startMs`. */
export function seededKeyRow(index: number, startMs: number, overrides: Partial<KeyRow> = {}): KeyRow {
  const keySpec = SEEDED_SPECS[index % SEEDED_SPECS.length] ?? 'Aliyun_AES_256';
  return keyRow({
    description: `key ${index} of application app-${index % 97}`,
    keySpec,
    keyUsage: USAGES_BY_SPEC[keySpec][0] ?? 'ENCRYPT/DECRYPT',
    createdAt: new Date(startMs + index * 1000).toISOString(),
    ...overrides,
  });
}
