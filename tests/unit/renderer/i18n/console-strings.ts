import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NodeTypes, baseParse, type AttributeNode, type DirectiveNode, type ElementNode, type TemplateChildNode } from '@vue/compiler-dom';
import { parse as parseSfc } from '@vue/compiler-sfc';
import ts from 'typescript';
import { isLanguage, isProse } from '../../../support/english-text';

/**
 * Reads the renderer's sources the way the i18n check needs them: every text an officer could see that
 * is written in a template or a script instead of coming from a catalogue, and every catalogue key a
 * file names. Heuristic on purpose (it cannot know what reaches the screen), so it errs towards
 * reporting: a string that is not shown is marked with an `i18n-exempt` comment on its line.
 */
export interface Finding {
  file: string;
  line: number;
  text: string;
}

export interface SourceStrings {
  /** Template text and prose attributes that bypass the catalogues. */
  untranslated: Finding[];
  /** Literal catalogue keys (`keys.create.title`) and key prefixes (`keys.state.` + …) named. */
  keys: Finding[];
  prefixes: Finding[];
  /** Area modules imported for their effect (`…/i18n/areas/keys`). */
  areaImports: Set<string>;
}

export function rendererFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'i18n') walk(path);
      } else if (/\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

/** Text attributes a person reads; the others (class, type, size, placement…) are not prose. */
const PROSE_ATTRIBUTES = new Set([
  'label', 'title', 'placeholder', 'description', 'content', 'aria-label', 'alt', 'header',
  'positive-text', 'negative-text', 'empty-text', 'confirm-text', 'tooltip', 'text', 'caption', 'hint', 'subtitle',
  'feedback', 'prefix', 'suffix', 'heading', 'summary', 'empty-description', 'tab', 'checked-value-text',
]);
/** Code, keyboard keys and sample output are shown as written in every language. */
const VERBATIM_TAGS = new Set(['code', 'pre', 'kbd', 'samp', 'mono-block', 'MonoBlock', 'style', 'script']);

/** Object properties whose strings style or identify rather than speak. */
const NOT_SHOWN_PROPERTIES = /^(['"]?(class|className|style|key|type|testid|data-testid|role|placement|size)['"]?|\w*Family\w*)$/;

const KEY_PATTERN = /^(shell|common|keys|keyDetail|clusters|secrets|backup|access|ceremonies)\.[A-Za-z0-9_.]*[A-Za-z0-9_]$/;
const PREFIX_PATTERN = /^(shell|common|keys|keyDetail|clusters|secrets|backup|access|ceremonies)\.[A-Za-z0-9_.]*\.$/;

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split('\n').length;
}

function exemptLines(source: string): Set<number> {
  const lines = new Set<number>();
  source.split('\n').forEach((line, index) => {
    if (line.includes('i18n-exempt')) {
      lines.add(index + 1);
      lines.add(index + 2); // a comment on the line before
    }
  });
  return lines;
}

export function readSource(path: string, root: string): SourceStrings {
  const source = readFileSync(path, 'utf8');
  const file = relative(root, path);
  const result: SourceStrings = { untranslated: [], keys: [], prefixes: [], areaImports: new Set() };
  const exempt = exemptLines(source);
  const report = (line: number, text: string): void => {
    if (!exempt.has(line)) result.untranslated.push({ file, line, text: text.trim().slice(0, 120) });
  };

  const scripts: { content: string; offset: number }[] = [];
  if (path.endsWith('.vue')) {
    const { descriptor } = parseSfc(source, { filename: path });
    for (const block of [descriptor.script, descriptor.scriptSetup]) {
      if (block) scripts.push({ content: block.content, offset: block.loc.start.offset });
    }
    if (descriptor.template) {
      const templateOffset = descriptor.template.loc.start.offset;
      const ast = baseParse(descriptor.template.content);
      const visit = (node: TemplateChildNode, verbatim: boolean): void => {
        const line = (offset: number) => lineOf(source, templateOffset + offset);
        if (node.type === NodeTypes.TEXT) {
          if (!verbatim && isLanguage(node.content)) report(line(node.loc.start.offset), node.content);
        } else if (node.type === NodeTypes.INTERPOLATION) {
          scanExpression(node.loc.source, line(node.loc.start.offset));
        } else if (node.type === NodeTypes.ELEMENT) {
          const element = node as ElementNode;
          const inner = verbatim || VERBATIM_TAGS.has(element.tag) || element.props.some((prop) => prop.type === NodeTypes.ATTRIBUTE && prop.name === 'translate' && prop.value?.content === 'no');
          for (const prop of element.props) {
            if (prop.type === NodeTypes.ATTRIBUTE) {
              const attribute = prop as AttributeNode;
              if (attribute.name === 'keypath' && attribute.value) keyOrPrefix(attribute.value.content, line(attribute.loc.start.offset));
              if (!inner && PROSE_ATTRIBUTES.has(attribute.name) && attribute.value && isLanguage(attribute.value.content)) {
                report(line(attribute.loc.start.offset), `${attribute.name}="${attribute.value.content}"`);
              }
            } else {
              const directive = prop as DirectiveNode;
              if (directive.exp && 'content' in directive.exp) scanExpression(directive.exp.loc.source, line(directive.loc.start.offset));
            }
          }
          for (const child of element.children) visit(child, inner);
        }
      };
      for (const child of ast.children) visit(child, false);
    }
  } else {
    scripts.push({ content: source, offset: 0 });
  }

  function keyOrPrefix(text: string, line: number): void {
    if (KEY_PATTERN.test(text)) result.keys.push({ file, line, text });
    else if (PREFIX_PATTERN.test(text)) result.prefixes.push({ file, line, text });
  }

  /** Template expressions: quoted literals in them are checked as script literals. */
  function scanExpression(expression: string, line: number): void {
    for (const match of expression.matchAll(/'([^'\\]*)'|"([^"\\]*)"|`([^`$\\]*)(?:`|\$\{)/g)) {
      const text = match[1] ?? match[2] ?? match[3] ?? '';
      keyOrPrefix(text, line);
      if (isProse(text)) report(line, text);
    }
  }

  for (const script of scripts) scanScript(script.content, script.offset);

  function scanScript(content: string, offset: number): void {
    const sourceFile = ts.createSourceFile(file, content, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lineAt = (node: ts.Node) => lineOf(source, offset + node.getStart(sourceFile));
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
        const specifier = (node.moduleSpecifier as ts.StringLiteral | undefined)?.text ?? '';
        const area = /i18n\/areas\/(\w+)$/.exec(specifier);
        if (area?.[1]) result.areaImports.add(area[1]);
        return;
      }
      if (ts.isCallExpression(node) && isQuietCall(node, sourceFile)) {
        // console.error('…') and new Error('…') are for developers; the catalogue functions take keys.
        const callee = node.expression.getText(sourceFile);
        if (/^(t|tn|\$t|i18n\.global\.t)$/.test(callee)) for (const argument of node.arguments) visit(argument);
        return;
      }
      if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText(sourceFile))) return;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (ts.isPropertyAssignment(node.parent) && (node.parent.name === node || NOT_SHOWN_PROPERTIES.test(node.parent.name.getText(sourceFile)))) return;
        keyOrPrefix(node.text, lineAt(node));
        if (isProse(node.text)) report(lineAt(node), node.text);
        return;
      }
      if (ts.isTemplateExpression(node)) {
        keyOrPrefix(node.head.text, lineAt(node));
        const pieces = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' … ');
        if (isProse(pieces)) report(lineAt(node), pieces);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  return result;
}

function isQuietCall(node: ts.CallExpression, sourceFile: ts.SourceFile): boolean {
  const callee = node.expression.getText(sourceFile);
  return /^console\.\w+$/.test(callee) || /^(t|tn|\$t|i18n\.global\.t|registerArea)$/.test(callee);
}
