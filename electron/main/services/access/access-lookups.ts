import { KmsError } from '../../../../shared/errors';
import { type AccessPointRow, type AccessPolicyRow, type NetworkRuleRow, type Registry, RegistryConstraintError } from '../../registry';

/*
 * Lookups shared by the rule, policy and access point services: each refuses with the contract's
 * NotFound code, naming what was asked for.
 */

export function requireNetworkRule(registry: Registry, name: string): NetworkRuleRow {
  const row = registry.networkRules.get(name);
  if (!row) throw new KmsError('NotFound.NetworkRule', `Network rule ${name} does not exist.`);
  return row;
}

export function requirePolicy(registry: Registry, name: string): AccessPolicyRow {
  const row = registry.accessPolicies.get(name);
  if (!row) throw new KmsError('NotFound.Policy', `Policy ${name} does not exist.`);
  return row;
}

export function requireAccessPoint(registry: Registry, name: string): AccessPointRow {
  const row = registry.accessPoints.get(name);
  if (!row) throw new KmsError('NotFound.ApplicationAccessPoint', `Application access point ${name} does not exist.`);
  return row;
}

/** Refuses names among `wanted` that `exists` does not know, all of them in one message. */
export function requireAll(
  wanted: readonly string[],
  exists: (name: string) => boolean,
  code: 'NotFound.NetworkRule' | 'NotFound.Policy',
  nouns: readonly [singular: string, plural: string],
): void {
  const missing = wanted.filter((name) => !exists(name));
  if (missing.length === 0) return;
  const [singular, plural] = nouns;
  throw new KmsError(code, missing.length === 1 ? `${singular} ${missing.join('')} does not exist.` : `${plural} ${missing.join(', ')} do not exist.`);
}

/** The order the officer gave, each name once. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A deletion the registry refused because the row is still referenced (a race with a new link). */
function isStillReferenced(error: unknown): boolean {
  return error instanceof RegistryConstraintError && error.kind === 'foreignKey';
}

export interface UnlessUsed {
  /** Throws NotFound when the row is gone. */
  require: () => void;
  /** Who still refers to the row, by name. */
  users: () => readonly string[];
  remove: () => void;
  inUse: (users: readonly string[]) => KmsError;
}

/**
 * Deletes a row nothing refers to any more, inside `transaction` (the audited change). A link made
 * by another process between the check and the delete is caught by the foreign key and refused
 * with the same message, naming the users as they are then.
 */
export function deleteUnlessUsed(transaction: (change: () => void) => void, row: UnlessUsed): void {
  try {
    transaction(() => {
      row.require();
      const users = row.users();
      if (users.length > 0) throw row.inUse(users);
      row.remove();
    });
  } catch (error) {
    if (isStillReferenced(error)) throw row.inUse(row.users());
    throw error;
  }
}

export function isTakenName(error: unknown): boolean {
  return error instanceof RegistryConstraintError && error.kind === 'unique';
}
