import { defineStore } from 'pinia';
import type { OperationInput, OperationOutput } from '../../../shared/contract';
import { invoke } from '../api/client';
import { emptySecretFilters, toSecretListFilters, type SecretFilters } from '../lib/secret-filters';
import { usePagedList } from './paged-list';

export type CreateSecretRequest = OperationInput<'CreateSecret'>;
export type PasswordOptions = OperationInput<'GetRandomPassword'>;
export type { SecretFilters };

/** ListSecrets' largest page. */
export const SECRET_PAGE_SIZE = 100;

/**
 * The Secrets page: a window over ListSecrets (metadata only, never a value), fetched page by page
 * as rows come into view, as the Keys page does (see usePagedList).
 */
export const useSecretsStore = defineStore('secrets', () => {
  const list = usePagedList(SECRET_PAGE_SIZE, emptySecretFilters(), async (page, filters: SecretFilters) => {
    const output = await invoke('ListSecrets', { PageNumber: page, PageSize: SECRET_PAGE_SIZE, Filters: toSecretListFilters(filters) });
    return { rows: output.SecretList, total: output.TotalCount };
  });

  /** The request carries the value: it passes through, nothing here keeps it. */
  async function create(request: CreateSecretRequest): Promise<OperationOutput<'CreateSecret'>> {
    return invoke('CreateSecret', request);
  }

  /** A password from the HSM's generator, handed to the form that asked (not kept here). */
  async function randomPassword(options: PasswordOptions): Promise<string> {
    return (await invoke('GetRandomPassword', options)).RandomPassword;
  }

  return { ...list, create, randomPassword };
});
