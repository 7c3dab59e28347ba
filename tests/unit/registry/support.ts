import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { keyRow as sharedKeyRow } from '../../support/key-rows';
import { afterEach, beforeEach } from 'vitest';
import {
  openRegistry,
  type AuditEventInput,
  type KeyRow,
  type KeyStoreRow,
  type OpenRegistryOptions,
  type Registry,
} from '../../../electron/main/registry';

/** A scratch directory per test; everything here runs against real SQLite files. */
export interface Scratch {
  dir: string;
  file: string;
  open(options?: Omit<OpenRegistryOptions, 'file'>): Registry;
  /** A second, raw connection: what someone tampering with the file (or a test) would use. */
  raw(): Database.Database;
  cleanup(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-registry-'));
  const file = path.join(dir, 'registry.sqlite');
  const opened: { close(): void }[] = [];
  return {
    dir,
    file,
    open(options = {}) {
      const registry = openRegistry({ ...options, file });
      opened.push(registry);
      return registry;
    },
    raw() {
      const db = new Database(file);
      opened.push(db);
      return db;
    },
    cleanup() {
      for (const handle of opened.reverse()) {
        try {
          handle.close();
        } catch {
          // Already closed by the test.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A registry on a fresh scratch file for every test of the calling file, seeded by `seed`. */
export interface FreshRegistry {
  readonly registry: Registry;
  readonly scratch: Scratch;
}

export function freshRegistryPerTest(seed: (registry: Registry) => void = () => {}): FreshRegistry {
  let current: { registry: Registry; scratch: Scratch } | undefined;
  beforeEach(() => {
    const dir = scratch();
    current = { scratch: dir, registry: dir.open() };
    seed(current.registry);
  });
  afterEach(() => current?.scratch.cleanup());
  const active = (): { registry: Registry; scratch: Scratch } => {
    if (!current) throw new Error('freshRegistryPerTest: used outside a test');
    return current;
  };
  return {
    get registry() {
      return active().registry;
    },
    get scratch() {
      return active().scratch;
    },
  };
}

export const T0 = Date.parse('2025-01-01T00:00:00.000Z');

/** ISO time `seconds` after T0: distinct, ordered creation times. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

export function keyStoreRow(overrides: Partial<KeyStoreRow> = {}): KeyStoreRow {
  return {
    id: 'kst-default',
    name: 'Default key store',
    type: 'DEFAULT',
    protectionLevel: 'SOFTWARE',
    clusterId: null,
    moduleId: null,
    tokenSerial: null,
    tokenLabel: 'keyward-default',
    initialized: false,
    connectionState: 'DISCONNECTED',
    connectionErrorCode: null,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function keyRow(overrides: Partial<KeyRow> = {}): KeyRow {
  return sharedKeyRow({ createdAt: at(1), ...overrides });
}

/** The 32 lowercase hex characters of a UUID: how the hsm layer derives CKA_ID from a version id. */
export function objectIdOf(versionId: string): string {
  return versionId.replace(/-/g, '');
}

/** An audit event input with sensible defaults. */
export function usageEvent(index: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    operation: 'Encrypt',
    actor: 'officer',
    transport: 'ipc',
    resourceId: `key-${index % 7}`,
    outcome: 'SUCCESS',
    requestId: `req-${index}`,
    details: { Index: index },
    ...overrides,
  };
}
