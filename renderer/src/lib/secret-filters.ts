import type { ListSecretsFilter, SecretState } from '../../../shared/contract';

export type { ListSecretsFilter } from '../../../shared/contract';

/** What the Secrets page filters on; the host combines the fields. */
export interface SecretFilters {
  namePrefix: string;
  states: SecretState[];
  /** `TagKey` (has the tag) or `TagKey=TagValue`. */
  tag: string;
}

export function emptySecretFilters(): SecretFilters {
  return { namePrefix: '', states: [], tag: '' };
}

/** ListSecrets `Filters` for the page's fields (empty ones left out). */
export function toSecretListFilters(filters: SecretFilters): ListSecretsFilter[] {
  const result: ListSecretsFilter[] = [];
  const prefix = filters.namePrefix.trim();
  const tag = filters.tag.trim();
  if (prefix) result.push({ Key: 'NamePrefix', Values: [prefix] });
  if (filters.states.length) result.push({ Key: 'SecretState', Values: [...filters.states] });
  if (tag) result.push({ Key: 'Tag', Values: [tag] });
  return result;
}

export function hasSecretFilters(filters: SecretFilters): boolean {
  return toSecretListFilters(filters).length > 0;
}
