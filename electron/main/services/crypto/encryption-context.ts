/** Sorted-key JSON of the encryption context; the empty context and no context are the same. */
export function canonicalContext(context: Record<string, string> | undefined): string {
  if (!context) return '{}';
  const sorted = Object.keys(context)
    .sort()
    .map((key) => [key, context[key] ?? ''] as const);
  return JSON.stringify(Object.fromEntries(sorted));
}
