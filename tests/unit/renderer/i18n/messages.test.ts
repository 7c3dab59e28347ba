import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../../renderer/src/i18n/areas/keys';
import { parseMessage } from '../../../../renderer/src/i18n/compile-message';
import { i18n, restoreLocale, t, tn } from '../../../../renderer/src/i18n';
import { formatSize } from '../../../../renderer/src/lib/format';

afterEach(() => {
  i18n.global.locale.value = 'en';
  vi.unstubAllGlobals();
});

/** A stand-in for the page's localStorage holding one remembered value. */
function storageWith(value: string | null) {
  const saved = new Map<string, string>(value === null ? [] : [['keyward.locale', value]]);
  return { getItem: (key: string) => saved.get(key) ?? null, setItem: (key: string, text: string) => void saved.set(key, text), saved };
}

describe('the remembered language', () => {
  it('is applied when it is one the console speaks, and remembered again', async () => {
    const storage = storageWith('zh-CN');
    vi.stubGlobal('localStorage', storage);
    await restoreLocale();
    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(storage.saved.get('keyward.locale')).toBe('zh-CN');
  });

  it('is ignored when anything else was stored there (another page of the origin, a hand edit)', async () => {
    for (const stored of ['fr', 'zh-cn', '__proto__', '<img src=x>', '']) {
      vi.stubGlobal('localStorage', storageWith(stored));
      await restoreLocale();
      expect(i18n.global.locale.value).toBe('en');
    }
  });

  it('falls back to English when storage is refused', async () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('Access is denied for this document.');
      },
    });
    await restoreLocale();
    expect(i18n.global.locale.value).toBe('en');
  });
});

describe("the console's message format", () => {
  it('has {name} placeholders and nothing else: @, | and $ are text', () => {
    expect(parseMessage('Delete {alias}? | @:x $1')).toEqual([{ text: 'Delete ' }, { name: 'alias' }, { text: '? | @:x $1' }]);
    expect(parseMessage('{a}{b}')).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(parseMessage('')).toEqual([{ text: '' }]);
    expect(parseMessage('an { unclosed')).toEqual([{ text: 'an { unclosed' }]);
  });

  it('fills placeholders in either language', () => {
    expect(t('common.copiedLabel', { label: 'KeyId' })).toBe('KeyId copied');
    i18n.global.locale.value = 'zh-CN';
    expect(t('common.copiedLabel', { label: 'KeyId' })).toBe('已复制KeyId');
  });
});

describe('plurals and numbers follow the language', () => {
  it('picks the English form by count and groups digits', () => {
    expect(tn('common.bytes', 1)).toBe('1 byte');
    expect(tn('common.bytes', 812)).toBe('812 bytes');
    expect(tn('keys.table.count', 100_000)).toBe('100,000 keys');
  });

  it('has one Chinese form', () => {
    i18n.global.locale.value = 'zh-CN';
    expect(tn('common.bytes', 1)).toBe('1 字节');
    expect(tn('keys.table.count', 100_000)).toBe('100,000 个密钥');
  });

  it('sizes files in decimal units', () => {
    expect(formatSize(812)).toBe('812 bytes');
    expect(formatSize(4_200_000)).toBe('4.2 MB');
    expect(formatSize(123_456_789)).toBe('123 MB');
  });
});
