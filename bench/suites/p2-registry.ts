/**
 * P2: the registry at 100,000 keys. Bulk insert through the repositories vs one raw prepared
 * INSERT into an identical schema; ListKeys / DescribeKey through the dispatcher vs the
 * repository call they end in (the SQL alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../electron/main/app/core';
import { createNodeWorkerLauncher } from '../../electron/main/hsm/node-launcher';
import { openRegistry, type KeyRow, type Registry } from '../../electron/main/registry';
import { KEY_COLUMNS, KEY_FIELDS } from '../../electron/main/registry/repositories/key-row';
import { type Benchmark, type BenchResult, round } from '../lib/result';
import { benchKeyRow } from '../lib/seed';
import { medianMs, medianMsAsync } from '../lib/stats';

const KEYS = 100_000;
const CHUNKS = 10;
export const p2Registry: Benchmark = {
  id: 'P2',
  title: `registry with ${KEYS.toLocaleString('en')} keys`,
  async run(options) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-p2-'));
    const baselineDir = mkdtempSync(path.join(tmpdir(), 'keyward-bench-p2-raw-'));
    const runs = options.quick ? 25 : 101;
    try {
      // The core creates the schema and the default key store rows, then lets go of the file.
      await (await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'bench' })).close();
      const registry = openRegistry({ file: path.join(dataDir, 'registry.sqlite') });
      const baselineFile = path.join(baselineDir, 'registry.sqlite');
      openRegistry({ file: baselineFile }).close();
      const raw = new Database(baselineFile);
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      const keyStoreId = registry.keyStores.getDefault()!.id;
      raw.exec(`ATTACH DATABASE '${path.join(dataDir, 'registry.sqlite').replace(/'/g, "''")}' AS src`);
      raw.exec(`INSERT INTO main.modules SELECT * FROM src.modules; INSERT INTO main.key_stores SELECT * FROM src.key_stores;`);
      raw.exec('DETACH DATABASE src');
      const insert = raw.prepare(
        `INSERT INTO keys (${KEY_FIELDS.map((f) => KEY_COLUMNS[f]).join(', ')}) VALUES (${KEY_FIELDS.map((f) => `@${f}`).join(', ')})`,
      );
      const insertAlias = raw.prepare('INSERT INTO aliases (alias_name, key_id, created_at, updated_at) VALUES (?, ?, ?, ?)');

      const perChunk = KEYS / CHUNKS;
      let keywardMs = 0;
      let baselineMs = 0;
      let baselineRows = 0;
      const aliasTargets: Array<{ alias: string; id: string }> = [];
      for (let chunk = 0; chunk < CHUNKS; chunk += 1) {
        const rows = Array.from({ length: perChunk }, (_, i) => benchKeyRow(chunk * perChunk + i, keyStoreId));
        let started = performance.now();
        insertThroughRegistry(registry, rows, chunk * perChunk, aliasTargets);
        keywardMs += performance.now() - started;
        // --quick times the baseline on the first chunks only: the same schema, a fifth of the rows.
        if (options.quick && chunk >= 2) continue;
        baselineRows += perChunk;
        const rawRows = Array.from({ length: perChunk }, (_, i) => benchKeyRow(chunk * perChunk + i, keyStoreId));
        started = performance.now();
        for (let start = 0; start < rawRows.length; start += 1000) {
          raw.transaction(() => {
            for (let i = start; i < start + 1000; i += 1) {
              const row = rawRows[i]!;
              const index = chunk * perChunk + i;
              insert.run(row);
              if (index % 3 === 0) insertAlias.run(`alias/app-${index}`, row.id, row.createdAt, row.createdAt);
            }
          })();
        }
        baselineMs += performance.now() - started;
      }
      raw.close();
      const insertRate = (KEYS * 1000) / keywardMs;
      const rawRate = (baselineRows * 1000) / baselineMs;
      options.log(`bulk insert: registry ${insertRate.toFixed(0)} rows/s, raw ${rawRate.toFixed(0)} rows/s`);

      const results: BenchResult[] = [
        {
          name: 'P2 bulk registry insert (100k keys, 1,000-row transactions)',
          keyward: round(insertRate, 0),
          baseline: round(rawRate, 0),
          unit: 'rows/s',
          ratio: round(insertRate / rawRate),
          goal: '>= 20,000 rows/s',
          met: insertRate >= 20_000,
        },
      ];

      const core = await createCore({ dataDir, launcher: createNodeWorkerLauncher(), actor: 'bench' });
      try {
        const dispatch = async (op: string, input: unknown): Promise<void> => {
          const outcome = await core.dispatch(op, input, { transport: 'internal' });
          if (!outcome.ok) throw new Error(`${op}: ${outcome.error.Code}`);
        };
        const sample = aliasTargets[Math.floor(aliasTargets.length / 2)]!;
        const filters = [{ Key: 'KeyState' as const, Values: ['Disabled'] }];
        const measures: Array<[string, string, number, () => Promise<void>, () => void]> = [
          [
            'P2 ListKeys page of 50, filter KeyState=Disabled',
            '< 5 ms median',
            5,
            () => dispatch('ListKeys', { PageSize: 50, Filters: filters }),
            () => void registry.keys.list({ pageNumber: 1, pageSize: 50, filters: [{ key: 'KeyState', values: ['Disabled'] }] }),
          ],
          [
            'P2 DescribeKey by id',
            '< 0.5 ms median',
            0.5,
            () => dispatch('DescribeKey', { KeyId: sample.id }),
            () => void registry.keys.get(sample.id),
          ],
          [
            'P2 DescribeKey by alias',
            '< 0.5 ms median',
            0.5,
            () => dispatch('DescribeKey', { KeyId: sample.alias }),
            () => void registry.keys.get(registry.aliases.resolve(sample.alias) ?? ''),
          ],
        ];
        for (const [name, goal, limit, keyward, baseline] of measures) {
          // Alternate in blocks so both paths see the same cache state.
          const keywardTimes: number[] = [];
          const baselineTimes: number[] = [];
          for (let block = 0; block < 5; block += 1) {
            keywardTimes.push(await medianMsAsync(Math.ceil(runs / 5), keyward));
            baselineTimes.push(medianMs(Math.ceil(runs / 5), baseline));
          }
          const k = keywardTimes.sort((a, b) => a - b)[2]!;
          const b = baselineTimes.sort((a, b2) => a - b2)[2]!;
          options.log(`${name}: ${k.toFixed(3)} ms (repository alone ${b.toFixed(3)} ms)`);
          results.push({ name, keyward: round(k, 4), baseline: round(b, 4), unit: 'ms', ratio: round(b / k), goal, met: k < limit });
        }
      } finally {
        await core.close();
      }
      registry.close();
      return results;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(baselineDir, { recursive: true, force: true });
    }
  },
};

function insertThroughRegistry(registry: Registry, rows: KeyRow[], base: number, aliasTargets: Array<{ alias: string; id: string }>): void {
  // 1,000-row transactions: what a bulk import or a ceremony commits at a time.
  for (let start = 0; start < rows.length; start += 1000) {
    registry.transaction(() => {
      for (let i = start; i < Math.min(rows.length, start + 1000); i += 1) {
        const row = rows[i]!;
        registry.keys.insert(row);
        if ((base + i) % 3 === 0) {
          const alias = `alias/app-${base + i}`;
          registry.aliases.insert({ aliasName: alias, keyId: row.id, createdAt: row.createdAt, updatedAt: row.createdAt });
          aliasTargets.push({ alias, id: row.id });
        }
      }
    });
  }
}
