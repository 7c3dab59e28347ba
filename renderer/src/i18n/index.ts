import { createI18n } from 'vue-i18n';
import { compileMessage } from './compile-message';
import type { Area, MessageSchema } from './en';
import commonEn from './en/common';
import shellEn from './en/shell';
import commonZh from './zh-CN/common';
import shellZh from './zh-CN/shell';

export const LOCALES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
] as const;
export type Locale = (typeof LOCALES)[number]['code'];

const STORAGE_KEY = 'keyward.locale';

function isLocale(value: unknown): value is Locale {
  return LOCALES.some((locale) => locale.code === value);
}

/**
 * The console's one i18n instance, in composition mode (the legacy API is compiled out, see
 * renderer/vite.config.ts). It starts with the frame's strings; each area's strings join when its
 * first component loads (./areas/). A key missing from a catalogue is an error on the console, which
 * the UI suite's console guard turns into a failed test; the officer would see the key, never a blank.
 */
export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en: { shell: shellEn, common: commonEn }, 'zh-CN': { shell: shellZh, common: commonZh } } as unknown as Record<Locale, MessageSchema>,
  messageCompiler: compileMessage,
  missingWarn: false,
  fallbackWarn: false,
  missing: (locale, key) => {
    console.error(`Keyward: no ${locale} string for "${key}"`);
  },
});

/** For stores and plain modules (components use useI18n() or $t). Reactive: call it where it is read. */
export const t = i18n.global.t;

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

/**
 * `tn('keys.count', 3)`: the plural form of `keys.count.one` / `keys.count.other` the language's rules
 * pick, with `{count}` formatted for the language. Chinese has one form; its catalogue repeats it.
 */
export function tn(key: string, count: number, values: Record<string, unknown> = {}): string {
  const form = new Intl.PluralRules(currentLocale()).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { ...values, count: count.toLocaleString(currentLocale()) });
}

/** Called once by each area's module (./areas/): its strings in both languages. */
export function registerArea<Name extends Area>(area: Name, en: MessageSchema[Name], zhCN: unknown): void {
  i18n.global.mergeLocaleMessage('en', { [area]: en } as never);
  i18n.global.mergeLocaleMessage('zh-CN', { [area]: zhCN } as never);
}

const preparations: ((locale: Locale) => Promise<void>)[] = [];

/**
 * Work a language needs before it shows, e.g. loading Naive UI's own strings (./page-language.ts). A
 * hook rather than an import keeps Naive UI out of this module, which stores and libs import.
 */
export function prepareEachLanguage(prepare: (locale: Locale) => Promise<void>): void {
  preparations.push(prepare);
}

/** Switches the console's language and remembers it on this machine. */
export async function setLocale(locale: Locale): Promise<void> {
  await Promise.all(preparations.map((prepare) => prepare(locale)));
  i18n.global.locale.value = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage refused (a locked-down profile): the choice lasts for this window only.
  }
}

/** Before the first paint: the language chosen last time on this machine. */
export async function restoreLocale(): Promise<void> {
  let stored: string | null | undefined;
  try {
    stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (isLocale(stored) && stored !== 'en') await setLocale(stored);
}
