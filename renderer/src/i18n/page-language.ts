import { shallowRef } from 'vue';
import { prepareEachLanguage } from '.';

/*
 * What follows the console's language outside vue-i18n: Naive UI's own words and the page's `lang`
 * (screen readers pick their voice by it). Imported by App.vue; stores and libs never see Naive UI.
 */

/** Naive UI's own words (pagination, pickers, empty tables) in the console's language; null is English. */
export const naiveLocale = shallowRef<typeof import('./naive-zh-cn') | null>(null);

prepareEachLanguage(async (locale) => {
  naiveLocale.value = locale === 'zh-CN' ? await import('./naive-zh-cn') : null;
  document.documentElement.lang = locale;
});
