import { afterEach, describe, expect, it } from 'vitest';
import { type Scratch, scratch, usageEvent } from './support';

let tmp: Scratch;
afterEach(() => tmp.cleanup());

describe('audit records with caller-supplied text', () => {
  it('keeps the chain valid when an identifier holds lone UTF-16 surrogates (SQLite stores them as U+FFFD)', () => {
    tmp = scratch();
    const registry = tmp.open();
    registry.audit.append(usageEvent(1, { resourceId: 'x\uD800y', requestId: '\uDFFF', actor: 'a\uD83D' }));
    registry.audit.append(usageEvent(2, { resourceId: 'ok \u{1F600}' }));
    expect(registry.audit.verify()).toMatchObject({ valid: true, checkedRecords: 2 });
    expect(registry.audit.get(1)?.resourceId).toBe('x\uFFFDy');
    expect(registry.audit.get(2)?.resourceId).toBe('ok \u{1F600}');
  });
});
