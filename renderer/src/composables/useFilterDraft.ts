import { computed, reactive, watch } from 'vue';

/** A copy whose list fields are new arrays, so that editing one never edits the other. */
function copyOf<Filters extends object>(filters: Filters): Filters {
  const copy = { ...filters };
  for (const field of Object.keys(copy) as (keyof Filters)[]) {
    const value = copy[field];
    if (Array.isArray(value)) copy[field] = [...value] as Filters[keyof Filters];
  }
  return copy;
}

export interface FilterDraftOptions<Filters extends object> {
  /** The filters the list applies now: the fields start from them. */
  initial: Filters;
  empty: () => Filters;
  isActive: (filters: Filters) => boolean;
  /** The fields typed into: a change waits for a pause in typing. The others apply at once. */
  typed: readonly (keyof Filters)[];
  /** Gets a copy of the fields after each change. */
  onChange: (filters: Filters) => void;
}

/** How long a typed filter waits for the next keystroke: the host's text search reads every row. */
export const TYPING_PAUSE_MS = 300;

/**
 * The fields of a list page's filter bar, bound with v-model to `draft`: each change is handed on
 * (a choice at once, typing after a pause); `clear` empties every field.
 */
export function useFilterDraft<Filters extends object>(options: FilterDraftOptions<Filters>) {
  const draft = reactive(copyOf(options.initial)) as Filters;
  const chosen = (Object.keys(draft) as (keyof Filters)[]).filter((field) => !options.typed.includes(field));

  let timer: ReturnType<typeof setTimeout> | undefined;
  function handOn(delay: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => options.onChange(copyOf(draft)), delay);
  }
  watch(
    options.typed.map((field) => () => draft[field]),
    () => handOn(TYPING_PAUSE_MS),
  );
  watch(
    chosen.map((field) => () => draft[field]),
    () => handOn(0),
  );

  const active = computed(() => options.isActive(draft));
  function clear(): void {
    Object.assign(draft, options.empty());
  }
  return { draft, active, clear };
}
