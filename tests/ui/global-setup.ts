import { buildConsole } from '../../testing/console-build';

/** Builds the renderer once (out/renderer); KEYWARD_UI_SKIP_BUILD=1 reuses an existing build. */
export default function globalSetup(): void {
  buildConsole();
}
