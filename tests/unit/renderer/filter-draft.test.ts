import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { TYPING_PAUSE_MS, useFilterDraft } from '../../../renderer/src/composables/useFilterDraft';
import { tabFromQuery } from '../../../renderer/src/composables/useTabInAddress';
import { emptySecretFilters, hasSecretFilters, type SecretFilters } from '../../../renderer/src/lib/secret-filters';

/** The Secrets page's filter bar without its fields: what it hands to the list, and when. */
function secretsBar(initial: SecretFilters = emptySecretFilters()) {
  const handedOn: SecretFilters[] = [];
  const bar = useFilterDraft({
    initial,
    empty: emptySecretFilters,
    isActive: hasSecretFilters,
    typed: ['namePrefix', 'tag'],
    onChange: (filters) => handedOn.push(filters),
  });
  return { ...bar, handedOn };
}

describe('useFilterDraft (the list pages’ filter bars)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('hands a choice on at once and typing only after a pause', async () => {
    const { draft, handedOn, active } = secretsBar();
    expect(active.value).toBe(false);

    draft.states = ['Enabled'];
    await nextTick();
    await vi.advanceTimersByTimeAsync(0);
    expect(handedOn).toEqual([{ namePrefix: '', states: ['Enabled'], tag: '' }]);

    draft.namePrefix = 'pr';
    await nextTick();
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS - 1);
    draft.namePrefix = 'prod/';
    await nextTick();
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS - 1);
    expect(handedOn).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(handedOn).toEqual([
      { namePrefix: '', states: ['Enabled'], tag: '' },
      { namePrefix: 'prod/', states: ['Enabled'], tag: '' },
    ]);
    expect(active.value).toBe(true);
  });

  it('starts from the list’s filters without sharing their lists, and clears everything in one change', async () => {
    const initial: SecretFilters = { namePrefix: 'prod/', states: ['Enabled'], tag: 'team=payments' };
    const { draft, handedOn, active, clear } = secretsBar(initial);
    expect(active.value).toBe(true);

    draft.states.push('PendingDeletion');
    expect(initial.states).toEqual(['Enabled']);

    clear();
    await nextTick();
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS);
    expect(handedOn).toEqual([emptySecretFilters()]);
    expect(active.value).toBe(false);

    // What was handed on is a copy: editing the fields afterwards does not change it.
    draft.states.push('Enabled');
    expect(handedOn[0]?.states).toEqual([]);
  });
});

describe('tabFromQuery (a detail page’s tab in the address)', () => {
  const TABS = ['metadata', 'versions', 'tags'] as const;
  it('opens the named tab, or the fallback for anything else', () => {
    expect(tabFromQuery('tags', TABS, 'versions')).toBe('tags');
    expect(tabFromQuery(undefined, TABS, 'versions')).toBe('versions');
    expect(tabFromQuery('crypto', TABS, 'versions')).toBe('versions');
    expect(tabFromQuery(['tags', 'metadata'], TABS, 'versions')).toBe('versions');
  });
});
