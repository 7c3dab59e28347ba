import type { KeyUsage } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { KeyRow, KeyVersionRow } from '../../registry';
import type { ServiceContext } from '../service-context';
import { parseKeyReference } from './key-identifiers';
import { ResolvedKeyCache } from './resolved-key-cache';

/**
 * Finds keys by id, alias or ARN and checks they may be used; every service goes through here.
 * Found rows are cached until the registry's change stamp moves (see ResolvedKeyCache): the
 * crypto path resolves a key and a version on every call, and reading them costs more than the
 * HSM's AES-GCM on 1 KiB.
 */
export class KeyResolver {
  private readonly cache = new ResolvedKeyCache();

  constructor(private readonly context: ServiceContext) {}

  resolve(identifier: string): KeyRow {
    this.cache.refresh(this.context.registry);
    return this.cache.key(identifier) ?? this.cache.rememberKey(identifier, this.lookup(identifier));
  }

  private lookup(identifier: string): KeyRow {
    const reference = parseKeyReference(identifier);
    let keyId: string;
    if (reference.kind === 'alias') {
      const target = this.context.registry.aliases.resolve(reference.aliasName);
      if (!target) throw new KmsError('NotFound.Alias', `Alias ${reference.aliasName} does not exist.`);
      keyId = target;
    } else {
      keyId = reference.keyId;
    }
    const key = this.context.registry.keys.get(keyId);
    if (!key || key.deletedAt !== null) throw new KmsError('NotFound.Key', `Key ${printable(keyId)} does not exist.`);
    return key;
  }

  /** The key must be Enabled and made for `usage` before its material is touched. */
  requireUsable(key: KeyRow, usage: KeyUsage): void {
    if (key.keyState !== 'Enabled') {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id} is ${key.keyState}; only Enabled keys can be used.`);
    }
    // The expiry sweep returns such a key to PendingImport; until it has run, refuse it here.
    if (key.materialExpireTime !== null && key.materialExpireTime <= this.context.now().toISOString()) {
      throw new KmsError('Forbidden.KeyState', `Key ${key.id}: its imported material expired at ${key.materialExpireTime}.`);
    }
    if (key.keyUsage !== usage) {
      throw new KmsError('Forbidden.KeyUsage', `Key ${key.id} is for ${key.keyUsage}, not ${usage}.`);
    }
  }

  /** The named version, or the primary one; it must belong to the key. */
  version(key: KeyRow, versionId: string | undefined): KeyVersionRow {
    const id = versionId ?? key.primaryVersionId;
    const version = id ? this.cachedVersion(id) : null;
    if (!version || version.keyId !== key.id) {
      throw new KmsError('NotFound.KeyVersion', `Key ${key.id} has no version ${id ? printable(id) : '(no primary version)'}.`);
    }
    return version;
  }

  /** Versions are written once and never changed or deleted: the stamp check of resolve() is enough. */
  private cachedVersion(id: string): KeyVersionRow | null {
    const cached = this.cache.version(id);
    if (cached) return cached;
    const row = this.context.registry.keyVersions.get(id);
    return row ? this.cache.rememberVersion(row) : null;
  }
}

/** Identifiers in messages are echoed only as printable, bounded text. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
