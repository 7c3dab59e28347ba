// Types for entry-chunk.mjs, so the TypeScript unit tests can import it under `strict`.
export const ENTRY_LIMIT_BYTES: number;

export interface ScriptSize {
  src: string;
  bytes: number;
}

export function firstPaintScripts(rendererDir: string): ScriptSize[];
export function checkEntryChunk(
  rendererDir: string,
  limitBytes?: number,
): { ok: boolean; totalBytes: number; scripts: ScriptSize[]; lines: string[] };
