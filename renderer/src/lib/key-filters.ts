import type { KeySpec, KeyState, KeyUsage, ListKeysFilter, ProtectionLevel } from '../../../shared/contract';

export type { ListKeysFilter } from '../../../shared/contract';

/** What the Keys page filters on; within one field any value matches, fields are combined. */
export interface KeyFilters {
  text: string;
  states: KeyState[];
  specs: KeySpec[];
  usages: KeyUsage[];
  protectionLevels: ProtectionLevel[];
  keyStoreIds: string[];
}

export function emptyKeyFilters(): KeyFilters {
  return { text: '', states: [], specs: [], usages: [], protectionLevels: [], keyStoreIds: [] };
}

/** ListKeys `Filters` for the page's search box and selects (empty ones left out). */
export function toListFilters(filters: KeyFilters): ListKeysFilter[] {
  const result: ListKeysFilter[] = [];
  const text = filters.text.trim();
  if (text) result.push({ Key: 'Text', Values: [text] });
  if (filters.states.length) result.push({ Key: 'KeyState', Values: [...filters.states] });
  if (filters.specs.length) result.push({ Key: 'KeySpec', Values: [...filters.specs] });
  if (filters.usages.length) result.push({ Key: 'KeyUsage', Values: [...filters.usages] });
  if (filters.protectionLevels.length) result.push({ Key: 'ProtectionLevel', Values: [...filters.protectionLevels] });
  if (filters.keyStoreIds.length) result.push({ Key: 'KeyStoreId', Values: [...filters.keyStoreIds] });
  return result;
}

export function hasFilters(filters: KeyFilters): boolean {
  return toListFilters(filters).length > 0;
}
