import { afterEach, describe, expect, it } from 'vitest';
import '../../../../renderer/src/i18n/areas/keys';
import { parseMessage } from '../../../../renderer/src/i18n/compile-message';
import { i18n, t, tn } from '../../../../renderer/src/i18n';
import { formatSize } from '../../../../renderer/src/lib/format';

afterEach(() => {
  i18n.global.locale.value = 'en';
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
