// Types for checksums.mjs, so the TypeScript tests can import it under `strict`.
export function writeChecksums(dir: string, artifacts: readonly string[]): string;
export function signChecksums(sums: string, env?: NodeJS.ProcessEnv): string | null;
