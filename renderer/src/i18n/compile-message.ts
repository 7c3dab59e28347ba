import type { MessageCompiler, MessageContext, MessageFunction } from 'vue-i18n';

/**
 * The console's message format: text with `{name}` placeholders, nothing else (no linked `@:`
 * messages, no `|` plural forms: plurals are keys of their own, see `tn`). Compiling it here instead
 * of shipping vue-i18n's compiler keeps ~17 kB out of the first paint, and `@`, `|` and `$` in a
 * string are plain text. A `{` without its `}` is text too.
 */
type Part = { text: string } | { name: string };

const PLACEHOLDER = /\{(\w+)\}/g;

export function parseMessage(message: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of message.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ text: message.slice(last, match.index) });
    parts.push({ name: match[1] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < message.length || parts.length === 0) parts.push({ text: message.slice(last) });
  return parts;
}

/** vue-i18n's own generated functions call these; they are on the context but not in its public type. */
interface RenderingContext extends MessageContext<string> {
  normalize: (values: unknown[]) => string;
  interpolate: (value: unknown) => unknown;
}

export const compileMessage: MessageCompiler<string, string | object> = (message, context) => {
  if (typeof message !== 'string') {
    context.onError?.(Object.assign(new Error(`message ${context.key} is not a string`), { code: 0 }) as never);
    return () => context.key;
  }
  const parts = parseMessage(message);
  const render = (ctx: MessageContext<string>): string => {
    const rendering = ctx as RenderingContext;
    // normalize() joins strings, or keeps VNodes apart for <i18n-t> slots.
    return rendering.normalize(parts.map((part) => ('text' in part ? part.text : rendering.interpolate(rendering.named(part.name)))));
  };
  return render as MessageFunction<string>;
};
