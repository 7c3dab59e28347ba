import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/** The tab named by `?tab=`, or the fallback when it names none of `tabs`. */
export function tabFromQuery<Tab extends string>(query: unknown, tabs: readonly Tab[], fallback: Tab): Tab {
  return tabs.find((tab) => tab === query) ?? fallback;
}

/**
 * A detail page's open tab, kept in the address (`?tab=`) so that a reload or a shared link opens the
 * same view; `tabProps` gives each tab its testid, `<testidPrefix>-<tab>`.
 */
export function useTabInAddress<Tab extends string>(tabs: readonly Tab[], fallback: Tab, testidPrefix: string) {
  const route = useRoute();
  const router = useRouter();
  const tab = computed<Tab>({
    get: () => tabFromQuery(route.query.tab, tabs, fallback),
    set: (next) => void router.replace({ query: { ...route.query, tab: next } }),
  });
  function tabProps(name: Tab): Record<string, string> {
    return { 'data-testid': `${testidPrefix}-${name}` };
  }
  return { tab, tabProps };
}
