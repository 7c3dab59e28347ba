// The console's selector contract: every test id the renderer source names, with its component, its
// element and a meaning (a comment just above it, else the element's own text or label, else the
// component's name). Deterministic: the same source always gives the same document.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** `data-testid="x"`, and the props components turn into one (`testid="x"`, `policy-testid="x"`). */
const STATIC_ID = /(?<=\s)((?:data-)?testid|[\w-]+-testid)="([^"]+)"/g;
/** `testid-prefix="x"`: the component makes `x-…` ids of it. */
const PREFIX = /(?<=\s)([\w-]*testid-prefix)="([^"]+)"/g;
/** `:data-testid="expression"`: its string literals and templates. */
const BOUND_ID = /:data-testid="([^"]+)"/g;
/** `'data-testid': 'x'` in render functions. */
const RENDER_ID = /'data-testid':\s*(['`])([^'`]+)\1/g;
/** `testid: 'x'` in an object a component turns into an element (a crypto panel's fields and buttons). */
const PROPERTY_ID = /\b(?:testid|\w+Testid):\s*(['`])([^'`]+)\1/g;
const LITERAL = /'([^']+)'|`([^`]+)`/g;
/** Helpers that put a test id on what they make: `inputProps('x')`, `passwordInputProps('x', …)`, `actionButton('Label', 'x', …)`, `mono(text, 'x')`. */
const HELPER_IDS = [/\b\w*[iI]nputProps\(\s*(['`])([^'`]+)\1/g, /\bactionButton\(\s*(['`])[^'`]*\1,\s*(['`])([^'`]+)\2/g, /\bmono\(.*,\s*(['`])([^'`]+)\1\s*\)/g];
/** `<password-field id="x">` and `<new-password-fields id="x">`: the native inputs take `id` as their test id (and `x-confirm`). */
const PASSWORD_FIELD = /<(password-field|new-password-fields)\b[^>]*?\s(:?)id="([^"]+)"/g;
/** `useTabInAddress(tabs, fallback, 'prefix')`: each tab's id is `prefix-<tab>`. */
const TAB_PREFIX = /\buseTabInAddress\(.*,\s*'([\w-]+)'\s*\)/g;

/** A template's `${…}` parts become `*`: the id is a pattern then. */
function pattern(text) {
  return text.replace(/\$\{[^}]*\}/g, '*');
}

/** `${testid}-suffix` inside a component: the ids it makes of the `testid` its parent gives. */
const DERIVED_SUFFIX = /`\$\{testid\}(-[\w-]+)`/g;
/** An opening tag with a static `testid="x"`; the tag may span lines. */
const TAG_WITH_TESTID = /<([a-z][\w-]*)\b[^>]*?\stestid="([^"]+)"/g;

const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Component tag -> the id suffixes it derives from its `testid` prop. */
function derivedSuffixes(files) {
  const byTag = new Map();
  for (const file of files) {
    if (!file.endsWith('.vue')) continue;
    const suffixes = [...new Set([...readFileSync(file, 'utf8').matchAll(DERIVED_SUFFIX)].map((match) => match[1]))];
    if (suffixes.length > 0) byTag.set(kebab(basename(file, '.vue')), suffixes);
  }
  return byTag;
}

/** Ids whose opening tag may span lines (password fields, components deriving ids), by the line the tag opens on. */
function tagIds(text, suffixesByTag) {
  const byLine = new Map();
  const add = (index, at, id) => byLine.set(index, [...(byLine.get(index) ?? []), { id, at }]);
  const place = (offset) => [text.slice(0, offset).split('\n').length - 1, offset - (text.lastIndexOf('\n', offset - 1) + 1)];
  for (const match of text.matchAll(PASSWORD_FIELD)) {
    const [index, at] = place(match.index);
    // `:id="cond ? 'a' : 'b'"` names each literal; a bound id with none names nothing readable.
    const named = match[2] === ':' ? [...match[3].matchAll(LITERAL)].map((literal) => pattern(literal[1] ?? literal[2])) : [match[3]];
    for (const id of named) {
      add(index, at, id);
      if (match[1] === 'new-password-fields') add(index, at, `${id}-confirm`);
    }
  }
  for (const match of text.matchAll(TAG_WITH_TESTID)) {
    const [index, at] = place(match.index);
    for (const suffix of suffixesByTag.get(match[1]) ?? []) add(index, at, `${match[2]}${suffix}`);
  }
  return byLine;
}

function ids(line) {
  const found = [];
  for (const match of line.matchAll(STATIC_ID)) found.push({ id: match[2], at: match.index });
  for (const match of line.matchAll(PREFIX)) found.push({ id: `${match[2]}-*`, at: match.index });
  for (const match of line.matchAll(BOUND_ID)) {
    for (const literal of match[1].matchAll(LITERAL)) found.push({ id: pattern(literal[1] ?? literal[2]), at: match.index });
  }
  for (const match of line.matchAll(RENDER_ID)) found.push({ id: pattern(match[2]), at: match.index });
  for (const match of line.matchAll(PROPERTY_ID)) found.push({ id: pattern(match[2]), at: match.index });
  for (const helper of HELPER_IDS) {
    for (const match of line.matchAll(helper)) found.push({ id: pattern(match.at(-1)), at: match.index });
  }
  for (const match of line.matchAll(TAB_PREFIX)) found.push({ id: `${match[1]}-*`, at: match.index });
  // A pattern with no word of its own (`*-*`, made inside a generic helper) names nothing a test can rely on.
  return found.filter(({ id }) => /[a-z]{2}/i.test(id));
}

function element(line, at) {
  const before = line.slice(0, at);
  const tag = [...before.matchAll(/<([a-z][\w-]*)/g)].at(-1)?.[1] ?? /\bh\(\s*'([\w-]+)'/.exec(before)?.[1];
  return tag ?? (/stateTagFor|Tag\b/.test(line) ? 'state tag' : '');
}

/** A comment right above the element: above this line, or above the lines of the same opening tag. */
function comment(lines, index) {
  for (let above = index - 1; above >= Math.max(0, index - 4); above -= 1) {
    const line = lines[above];
    const match = /<!--\s*(.+?)\s*-->|^\s*(?:\/\/|\/\*\*|\*)\s*(.+?)\s*(?:\*\/)?$/.exec(line);
    if (match) return match[1] ?? match[2];
    if (/>\s*$|^\s*$/.test(line)) return null; // the line ends another element: no comment of ours above
  }
  return null;
}

/**
 * The English catalogue (renderer/src/i18n/en/*.ts), flattened to `area.key` → text. Each file is one
 * object literal of strings (`export default { … };`), so it is read without a TypeScript loader.
 */
function englishCatalogue(sourceDir) {
  const texts = new Map();
  const flatten = (tree, prefix) => {
    for (const [key, value] of Object.entries(tree)) {
      if (typeof value === 'string') texts.set(prefix + key, value);
      else flatten(value, `${prefix}${key}.`);
    }
  };
  const dir = join(sourceDir, 'i18n', 'en');
  if (!existsSync(dir)) return texts;
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts') && file !== 'index.ts').sort()) {
    const body = /export default (\{[\s\S]*\});?\s*$/.exec(readFileSync(join(dir, name), 'utf8'))?.[1];
    if (!body) throw new Error(`i18n/en/${name}: expected one exported object literal`);
    // The project's own source, read at build time: an object literal of strings.
    flatten(new Function(`return (${body});`)(), `${name.replace(/\.ts$/, '')}.`);
  }
  return texts;
}

/** `$t('area.key')` / `t('area.key')` in a text or an attribute: the English it shows. */
function translated(text, catalogue) {
  const key = /\$?\bt\(\s*'([\w.]+)'/.exec(text)?.[1];
  return key ? (catalogue.get(key) ?? catalogue.get(`${key}.other`) ?? null) : null;
}

/** The element's text when its tag closes within the next two lines, else a label-like attribute. */
function ownText(lines, index, at, catalogue) {
  const line = lines[index];
  const rest = [line.slice(at), ...lines.slice(index + 1, index + 3)].join(' ');
  const content = /^[^<]*?>([^<>]*?)</.exec(rest)?.[1]?.trim() ?? '';
  const text = /^\{\{.*\}\}$/.test(content) ? translated(content, catalogue) : /[{}]/.test(content) || !/[A-Za-z]/.test(content) ? null : content;
  if (text) return `“${text}”`;
  const attribute = /(?<=\s)(?:label|placeholder|title)="([^"]+)"|\b(?:label|accessibleName): '([^']+)'/.exec(line);
  if (attribute) return `“${attribute[1] ?? attribute[2]}”`;
  const bound = /(?<=\s):(?:label|placeholder|title)="([^"]+)"|\b(?:label|accessibleName): (?:\(\) => )?(t\('[\w.]+'\))/.exec(line);
  const boundText = bound ? translated(bound[1] ?? bound[2] ?? '', catalogue) : null;
  return boundText ? `“${boundText}”` : null;
}

/** Every test id of the renderer source under `sourceDir` (renderer/src), in file and line order. */
export function collectTestIds(sourceDir) {
  const rows = [];
  const seen = new Set();
  const files = sourceFiles(sourceDir);
  const suffixesByTag = derivedSuffixes(files);
  const catalogue = englishCatalogue(sourceDir);
  for (const file of files) {
    const component = relative(sourceDir, file);
    const name = basename(file).replace(/\.(vue|ts)$/, '');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const multiLine = tagIds(text, suffixesByTag);
    lines.forEach((line, index) => {
      for (const { id, at } of [...ids(line), ...(multiLine.get(index) ?? [])]) {
        if (seen.has(`${component}\0${id}`)) continue;
        seen.add(`${component}\0${id}`);
        const meaning = comment(lines, index) ?? ownText(lines, index, at, catalogue) ?? `part of ${name}`;
        rows.push({ id, component, element: element(line, at), meaning });
      }
    });
  }
  return rows;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
}

const cell = (text) => text.replace(/\|/g, '\\|');

/** docs/test-ids.md for these rows. */
export function renderTestIds(rows) {
  const out = [
    '# Console test ids',
    '',
    'Generated by `npm run test-ids` from `renderer/src`; do not edit by hand (a unit test fails when this',
    'file and the renderer disagree). Accessible roles and names are the first choice for selectors; these',
    'ids are the stable fallback, and renaming or removing one listed here is a breaking change (README,',
    '"Testing your procedures with Playwright"). `*` stands for a part filled in at run time (a key id, an',
    'action, a prefix the parent component gives).',
  ];
  let component = null;
  for (const row of rows) {
    if (row.component !== component) {
      component = row.component;
      out.push('', `## ${component}`, '', '| Test id | Element | Meaning |', '| --- | --- | --- |');
    }
    out.push(`| \`${row.id}\` | ${row.element ? `\`${row.element}\`` : ''} | ${cell(row.meaning)} |`);
  }
  return `${out.join('\n')}\n`;
}
