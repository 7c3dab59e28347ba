// Types for test-ids.mjs, so the TypeScript tests can import it under `strict`.
export interface TestIdRow {
  id: string;
  /** The file under renderer/src. */
  component: string;
  element: string;
  meaning: string;
}
export function collectTestIds(sourceDir: string): TestIdRow[];
export function renderTestIds(rows: readonly TestIdRow[]): string;
