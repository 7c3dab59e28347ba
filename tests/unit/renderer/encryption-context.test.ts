import { describe, expect, it } from 'vitest';
import { MAX_CONTEXT_ENTRIES, parseEncryptionContext } from '../../../renderer/src/lib/encryption-context';

describe('parseEncryptionContext', () => {
  it('is undefined when empty or only comments', () => {
    expect(parseEncryptionContext('')).toEqual({ ok: true, context: undefined });
    expect(parseEncryptionContext('\n  # nothing\n\n')).toEqual({ ok: true, context: undefined });
  });

  it('reads key=value lines, trimming around the separator and keeping = inside values', () => {
    expect(parseEncryptionContext(' purpose = backup \r\nexpr=a=b\nempty=')).toEqual({
      ok: true,
      context: { purpose: 'backup', expr: 'a=b', empty: '' },
    });
  });

  it('names the line of a malformed entry', () => {
    expect(parseEncryptionContext('a=1\nno separator')).toEqual({ ok: false, error: 'line 2: expected key=value' });
    expect(parseEncryptionContext('=value')).toEqual({ ok: false, error: 'line 1: expected key=value' });
  });

  it('refuses duplicate keys and too many entries', () => {
    expect(parseEncryptionContext('a=1\na=2')).toEqual({ ok: false, error: 'line 2: "a" appears twice' });
    const many = Array.from({ length: MAX_CONTEXT_ENTRIES + 1 }, (_, index) => `k${index}=v`).join('\n');
    expect(parseEncryptionContext(many)).toEqual({ ok: false, error: `at most ${MAX_CONTEXT_ENTRIES} entries` });
  });

  it('enforces the contract lengths', () => {
    expect(parseEncryptionContext(`${'k'.repeat(129)}=v`).ok).toBe(false);
    expect(parseEncryptionContext(`k=${'v'.repeat(1025)}`).ok).toBe(false);
    expect(parseEncryptionContext(`${'k'.repeat(128)}=${'v'.repeat(1024)}`).ok).toBe(true);
  });
});
