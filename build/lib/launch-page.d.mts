// Types for launch-page.mjs, so the TypeScript tests can import it under `strict`.
export function launchPageHtml(launchUrl: string): string;
export function writeLaunchPage(dir: string, launchUrl: string): string;
export function chromiumAppArgs(profile: string, launchPage: string): string[];
