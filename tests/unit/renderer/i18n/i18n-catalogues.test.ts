import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLanguage, isProse } from '../../../support/english-text';
import { readSource, rendererFiles, type Finding } from './console-strings';

const ROOT = join(import.meta.dirname, '../../../..');
const SRC = join(ROOT, 'renderer/src');
const AREAS = ['shell', 'common', 'keys', 'keyDetail', 'clusters', 'secrets', 'backup', 'access', 'ceremonies'] as const;
const ALWAYS_LOADED = new Set(['shell', 'common']);

type Tree = { [key: string]: string | Tree };

async function catalogue(locale: 'en' | 'zh-CN'): Promise<Tree> {
  const tree: Tree = {};
  for (const area of AREAS) {
    const module = (await import(`../../../../renderer/src/i18n/${locale}/${area}.ts`)) as { default: Tree };
    tree[area] = module.default;
  }
  return tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) out.set(inner, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const list = (findings: Finding[]) => findings.map((finding) => `${finding.file}:${finding.line}  ${finding.text}`);

const en = flatten(await catalogue('en'));
const zh = flatten(await catalogue('zh-CN'));
const sources = rendererFiles(SRC).map((path) => readSource(path, SRC));

describe('the console speaks only through its catalogues (en and zh-CN)', () => {
  it('the Chinese catalogue has every English key, translated, with the same placeholders', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    const problems: string[] = [];
    for (const [key, english] of en) {
      const chinese = zh.get(key) ?? '';
      if (chinese.trim() === '') problems.push(`${key}: empty`);
      // An English sentence copied over untranslated (names and codes may stay the same).
      else if (chinese === english && isProse(english)) problems.push(`${key}: not translated: ${english}`);
      if (placeholders(chinese).join() !== placeholders(english).join()) problems.push(`${key}: placeholders differ`);
    }
    expect(problems).toEqual([]);
  });

  it('every key a component or store names is in the catalogues', () => {
    // A plural key (tn) names an object with its forms.
    const exists = (key: string) => en.has(key) || (en.has(`${key}.one`) && en.has(`${key}.other`));
    const missing = sources.flatMap((source) => source.keys).filter((key) => !exists(key.text));
    const missingPrefixes = sources
      .flatMap((source) => source.prefixes)
      .filter((prefix) => ![...en.keys()].some((key) => key.startsWith(prefix.text)));
    expect(list([...missing, ...missingPrefixes])).toEqual([]);
  });

  it("a file that shows an area's strings loads that area's catalogue", () => {
    const unloaded: Finding[] = [];
    for (const source of sources) {
      for (const key of [...source.keys, ...source.prefixes]) {
        const area = key.text.split('.')[0] ?? '';
        if (!ALWAYS_LOADED.has(area) && !source.areaImports.has(area)) unloaded.push({ ...key, text: `${key.text} (import i18n/areas/${area})` });
      }
    }
    expect(list(unloaded)).toEqual([]);
  });

  it('no component shows text written outside the catalogues', () => {
    expect(list(sources.flatMap((source) => source.untranslated))).toEqual([]);
  });
});

describe('the check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-i18n-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds template text, prose attributes and prose literals, and leaves names, codes and keys alone', () => {
    const path = join(dir, 'Sample.vue');
    writeFileSync(
      path,
      `<script setup lang="ts">
const note = 'Delete this key now';
const code = 'AES_256';
const id = 'keys-table';
console.error('Keyward: a developer message');
</script>
<template>
  <div title="Schedule the deletion">
    <p>Delete key</p>
    <p>{{ $t('keys.title') }} CreateKey AES_256 kmsuser</p>
    <code>openssl pkeyutl -encrypt</code>
    <n-button :title="ok ? 'Keep it safe' : $t('common.cancel')">{{ 'Not this either' }}</n-button>
  </div>
</template>`,
    );
    const found = readSource(path, dir);
    expect(found.untranslated.map((finding) => finding.text).sort()).toEqual([
      'Delete key',
      'Delete this key now',
      'Keep it safe',
      'Not this either',
      'title="Schedule the deletion"',
    ]);
    expect(found.keys.map((key) => key.text)).toEqual(['keys.title', 'common.cancel']);
  });
  it('tells language from identifiers', () => {
    expect(isLanguage('Rotate')).toBe(true);
    expect(isLanguage('ENABLED · AES_256 · CreateKey')).toBe(false);
    expect(isProse('Rotate now')).toBe(true);
    expect(isProse('margin-left:8px;padding:0 6px')).toBe(false);
  });
});
