import type { z } from 'zod';
import type { KeySpec, KeyState, listKeysFilterSchema } from '../../../shared/contract';

export type ListKeysFilter = z.input<typeof listKeysFilterSchema>;

/** What the Keys page filters on. */
export interface KeyFilters {
  text: string;
  states: KeyState[];
  specs: KeySpec[];
}

/** ListKeys `Filters` for the page's search box and selects (empty ones left out). */
export function toListFilters(filters: KeyFilters): ListKeysFilter[] {
  const result: ListKeysFilter[] = [];
  const text = filters.text.trim();
  if (text) result.push({ Key: 'Text', Values: [text] });
  if (filters.states.length) result.push({ Key: 'KeyState', Values: [...filters.states] });
  if (filters.specs.length) result.push({ Key: 'KeySpec', Values: [...filters.specs] });
  return result;
}
