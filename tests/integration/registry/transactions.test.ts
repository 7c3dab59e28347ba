import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditSecretError } from '../../../electron/main/registry';
import { keyRow, keyStoreRow, freshRegistryPerTest, usageEvent } from '../../unit/registry/support';

const fresh = freshRegistryPerTest((registry) => {
  registry.keyStores.insert(keyStoreRow());
});

describe('fresh.registry.transaction', () => {
  it('commits a change and its audit record together', () => {
    const key = keyRow();
    const result = fresh.registry.transaction(() => {
      fresh.registry.keys.insert(key);
      return fresh.registry.audit.append(usageEvent(1, { operation: 'CreateKey', resourceId: key.id }));
    });
    expect(result.sequence).toBe(1);
    expect(fresh.registry.keys.get(key.id)).not.toBeNull();
    expect(fresh.registry.audit.last()?.resourceId).toBe(key.id);
  });

  it('rolls back both the fresh.registry row and the audit record when the work throws', () => {
    const key = keyRow();
    expect(() =>
      fresh.registry.transaction(() => {
        fresh.registry.keys.insert(key);
        fresh.registry.audit.append(usageEvent(1, { operation: 'CreateKey', resourceId: key.id }));
        throw new Error('HSM refused the key');
      }),
    ).toThrow('HSM refused the key');
    expect(fresh.registry.keys.get(key.id)).toBeNull();
    expect(fresh.registry.audit.last()).toBeNull();
    // The chain continues from nothing: no hole where the rolled-back record was.
    expect(fresh.registry.audit.append(usageEvent(2)).sequence).toBe(1);
    expect(fresh.registry.audit.verify().valid).toBe(true);
  });

  it('rolls back the change when its audit record is refused by the secret guard', () => {
    const key = keyRow();
    expect(() =>
      fresh.registry.transaction(() => {
        fresh.registry.keys.insert(key);
        fresh.registry.audit.append(usageEvent(1, { details: { SoPin: '1234' } }));
      }),
    ).toThrow(AuditSecretError);
    expect(fresh.registry.keys.get(key.id)).toBeNull();
  });

  it('nests as savepoints: a caught inner failure keeps the outer work', () => {
    const outer = keyRow();
    const inner = keyRow();
    fresh.registry.transaction(() => {
      fresh.registry.keys.insert(outer);
      try {
        fresh.registry.transaction(() => {
          fresh.registry.keys.insert(inner);
          fresh.registry.audit.append(usageEvent(1));
          throw new Error('inner');
        });
      } catch {
        // Expected: the inner step is abandoned, the outer one goes on.
      }
      fresh.registry.audit.append(usageEvent(2));
    });
    expect(fresh.registry.keys.get(outer.id)).not.toBeNull();
    expect(fresh.registry.keys.get(inner.id)).toBeNull();
    expect(fresh.registry.audit.last()).toMatchObject({ sequence: 1, requestId: 'req-2' });
  });

  it('refuses asynchronous work, which would run after the commit', () => {
    expect(() => fresh.registry.transaction(async () => undefined)).toThrow(TypeError);
  });

  it('writes through the WAL', () => {
    fresh.registry.meta.set('a', 'b');
    expect(existsSync(`${fresh.scratch.file}-wal`)).toBe(true);
  });
});

describe('several connections on one file', () => {
  it('waits for another writer up to the busy timeout, then fails', () => {
    const impatient = fresh.scratch.open({ busyTimeoutMs: 150 });
    const other = fresh.scratch.raw();
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    expect(() => impatient.meta.set('x', 'y')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    other.exec('ROLLBACK');
    impatient.meta.set('x', 'y');
    expect(fresh.registry.meta.get('x')).toBe('y');
  });

  it('keeps one valid chain when two connections append alternately', () => {
    const second = fresh.scratch.open();
    for (let index = 0; index < 20; index += 1) {
      (index % 2 === 0 ? fresh.registry : second).audit.append(usageEvent(index));
    }
    expect(second.audit.verify()).toMatchObject({ valid: true, checkedRecords: 20 });
  });

  it('keeps one valid chain when two processes append at the same time', async () => {
    const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'append-worker.ts');
    const run = (label: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', worker, fresh.scratch.file, label, '150'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${label} exited ${code}: ${stderr}`))));
      });
    await Promise.all([run('app'), run('cli')]);
    const result = fresh.registry.audit.verify();
    expect(result).toMatchObject({ valid: true, checkedRecords: 300 });
    const db = new Database(fresh.scratch.file, { readonly: true });
    const actors = db.prepare<[], { actor: string; n: number }>('SELECT actor, count(*) AS n FROM audit_events GROUP BY actor ORDER BY actor').all();
    db.close();
    expect(actors).toEqual([
      { actor: 'app', n: 150 },
      { actor: 'cli', n: 150 },
    ]);
  });
});
