import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collectTestIds, renderTestIds } from '../../build/lib/test-ids.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RENDERER_SRC = path.join(ROOT, 'renderer', 'src');

describe('docs/test-ids.md, the console selector contract', () => {
  it('is what the renderer source gives (else: npm run test-ids, and note renamed ids as breaking)', () => {
    const expected = renderTestIds(collectTestIds(RENDERER_SRC));
    expect(readFileSync(path.join(ROOT, 'docs', 'test-ids.md'), 'utf8')).toBe(expected);
  });

  it('lists every test id the kit’s page objects and the example project rely on', () => {
    // A run-time part (`*`) stands for a word: it never spans a whole id, so `nav-*` matches `nav-keys`
    // but no pattern can pass for an id the renderer does not name.
    const listed = collectTestIds(RENDERER_SRC).map(({ id }) => new RegExp(`^${id.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[A-Za-z0-9_.:]+(?:-[A-Za-z0-9_.:]+)*')}$`));
    expect(listed.some((pattern) => pattern.test('no-such-id-anywhere'))).toBe(false);
    const sources = [
      ...specFiles(path.join(ROOT, 'examples', 'playwright', 'tests'), '.spec.ts'),
      ...specFiles(path.join(ROOT, 'testing', 'pages'), '.ts'),
    ];
    const used = sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/getByTestId\('([^']+)'\)/g)].map((match) => match[1] ?? ''));
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((id) => !listed.some((pattern) => pattern.test(id)))).toEqual([]);
  });
});

function specFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name));
}

describe('the test id generator', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-test-ids-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function generate(files: Record<string, string>): ReturnType<typeof collectTestIds> {
    rmSync(dir, { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return collectTestIds(dir);
  }

  it('takes ids from attributes, bound templates, props and render functions, with a meaning', () => {
    const rows = generate({
      'b/Panel.vue': [
        '<template>',
        '  <!-- Opens the ceremony log -->',
        '  <n-button data-testid="log-open" @click="open">Open</n-button>',
        '  <n-button data-testid="log-close">Close log</n-button>',
        '  <div :data-testid="`log-row-${row.id}`" />',
        '  <step-footer testid="log-next" label="Next" />',
        '</template>',
      ].join('\n'),
      'a/columns.ts': "export const cell = () => h('span', { 'data-testid': 'audit-cell' }, 'x');\n",
    });
    expect(rows).toEqual([
      { id: 'audit-cell', component: 'a/columns.ts', element: 'span', meaning: 'part of columns' },
      { id: 'log-open', component: 'b/Panel.vue', element: 'n-button', meaning: 'Opens the ceremony log' },
      { id: 'log-close', component: 'b/Panel.vue', element: 'n-button', meaning: '“Close log”' },
      { id: 'log-row-*', component: 'b/Panel.vue', element: 'div', meaning: 'part of Panel' },
      { id: 'log-next', component: 'b/Panel.vue', element: 'step-footer', meaning: '“Next”' },
    ]);
    expect(renderTestIds(rows)).toContain('| `log-open` | `n-button` | Opens the ceremony log |');
  });

  it("takes a meaning from the English catalogue when the text is a $t(…) call", () => {
    const rows = generate({
      'i18n/en/log.ts': "/** Strings. */\nexport default {\n  open: 'Open the log',\n  count: { one: '{count} entry', other: '{count} entries' },\n};\n",
      'b/Log.vue': [
        '<template>',
        '  <n-button data-testid="log-open">{{ $t(\'log.open\') }}</n-button>',
        '  <n-input data-testid="log-filter" :placeholder="$t(\'log.open\')" />',
        '  <span data-testid="log-count">{{ $t(\'log.count\') }}</span>',
        '  <span data-testid="log-other">{{ $t(\'log.missing\') }}</span>',
        '</template>',
      ].join('\n'),
    });
    expect(rows.map(({ id, meaning }) => [id, meaning])).toEqual([
      ['log-open', '“Open the log”'],
      ['log-filter', '“Open the log”'],
      ['log-count', '“{count} entries”'],
      ['log-other', 'part of Log'],
    ]);
  });

  it('takes ids from the helpers that set them, and drops patterns with no word of their own', () => {
    const rows = generate({
      'c/Form.vue': [
        '<template>',
        '  <new-password-fields',
        '    id="vault-pw"',
        '    label="Password"',
        '  />',
        '  <password-field id="vault-pin" label="PIN" />',
        '  <n-input :input-props="inputProps(\'vault-days\', { min: 1 })" />',
        '</template>',
      ].join('\n'),
      'd/columns.ts': [
        "const a = actionButton('Rotate', 'vault-rotate', () => rotate(row));",
        "const b = mono(orDash(row.Name), 'vault-name');",
        "const { tabProps } = useTabInAddress(TABS, 'one', 'vault-tab');",
        "const c = { 'data-testid': `${prefix}-${name}` };",
      ].join('\n'),
    });
    expect(rows.map(({ id }) => id)).toEqual(['vault-pw', 'vault-pw-confirm', 'vault-pin', 'vault-days', 'vault-rotate', 'vault-name', 'vault-tab-*']);
  });

  it('a renamed id changes the document', () => {
    const before = renderTestIds(generate({ 'P.vue': '<n-input data-testid="so-pin" />\n' }));
    const after = renderTestIds(generate({ 'P.vue': '<n-input data-testid="so-pin-field" />\n' }));
    expect(after).not.toBe(before);
  });
});
