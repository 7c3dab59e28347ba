// Types for bundle.mjs, so the TypeScript test setup can import it under `strict`.
export const ENTRIES: Readonly<Record<string, string>>;
export function buildRenderer(outDir: string): Promise<void>;
export function bundleApp(outDir: string): Promise<string[]>;
