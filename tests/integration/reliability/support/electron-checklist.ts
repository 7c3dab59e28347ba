/**
 * Electron's security checklist as source checks over the main process, the preload and the
 * renderer entry. Each check takes source text and returns its problems, so the suite can also
 * prove that every check fails on a weakened copy of the source.
 */
import ts from 'typescript';

export interface SourceFile {
  path: string;
  text: string;
}

/** webPreferences every window must set, with the only acceptable value. */
const REQUIRED_PREFERENCES: Record<string, string> = {
  contextIsolation: 'true',
  sandbox: 'true',
  nodeIntegration: 'false',
  nodeIntegrationInSubFrames: 'false',
  webSecurity: 'true',
  allowRunningInsecureContent: 'false',
  webviewTag: 'false',
};
/** webPreferences that must never appear with these values. */
const FORBIDDEN_PREFERENCES: Record<string, RegExp> = {
  nodeIntegrationInWorker: /^true$/,
  experimentalFeatures: /^true$/,
  enableBlinkFeatures: /.*/,
  enableRemoteModule: /^true$/,
};

function propertiesOf(node: ts.ObjectLiteralExpression, source: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
      out.set(property.name.text, property.initializer.getText(source));
    }
  }
  return out;
}

/** Every `new BrowserWindow | BrowserView | WebContentsView({...})` has the required webPreferences. */
export function checkWindows(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  let windows = 0;
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && /^(BrowserWindow|BrowserView|WebContentsView)$/.test(node.expression.getText(source))) {
        windows += 1;
        const options = node.arguments?.[0];
        const where = `${file.path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (!options || !ts.isObjectLiteralExpression(options)) {
          problems.push(`${where}: window options are not an object literal`);
        } else {
          const webPreferences = propertiesOf(options, source).get('webPreferences');
          const literal = options.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'webPreferences',
          )?.initializer;
          if (!webPreferences || !literal || !ts.isObjectLiteralExpression(literal)) {
            problems.push(`${where}: no literal webPreferences`);
          } else {
            const preferences = propertiesOf(literal, source);
            for (const [name, value] of Object.entries(REQUIRED_PREFERENCES)) {
              if (preferences.get(name) !== value) problems.push(`${where}: webPreferences.${name} must be ${value}`);
            }
            for (const [name, pattern] of Object.entries(FORBIDDEN_PREFERENCES)) {
              const value = preferences.get(name);
              if (value !== undefined && pattern.test(value)) problems.push(`${where}: webPreferences.${name} = ${value}`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  if (windows === 0) problems.push('no BrowserWindow found');
  return problems;
}

/** Process-wide hardening of the main process. */
export function checkMainProcess(main: string): string[] {
  const problems: string[] = [];
  const require = (pattern: RegExp, what: string): void => {
    if (!pattern.test(main)) problems.push(`main process: ${what}`);
  };
  require(/app\.enableSandbox\(\)/, 'app.enableSandbox() is not called');
  require(/on\(\s*'web-contents-created'/, "no 'web-contents-created' hook hardening every WebContents");
  require(/on\(\s*'will-navigate',[^)]*\)/, "no 'will-navigate' handler");
  require(/on\(\s*'will-redirect'/, "no 'will-redirect' handler");
  require(/preventDefault\(\)/, 'navigation is never prevented');
  require(/setWindowOpenHandler\(\s*\(\)\s*=>\s*\(\{\s*action:\s*'deny'\s*\}\)\s*\)/, 'window.open is not denied');
  require(/on\(\s*'will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)\)/, '<webview> attachment is not prevented');
  require(/setPermissionRequestHandler\(\([^)]*\)\s*=>\s*callback\(false\)\)/, 'permission requests are not all denied');
  require(/setPermissionCheckHandler\(\(\)\s*=>\s*false\)/, 'permission checks are not all denied');
  require(/onBeforeRequest\(/, 'requests are not filtered (remote content)');
  require(/'Content-Security-Policy'/, 'no Content-Security-Policy response header');
  require(/requestSingleInstanceLock\(\)/, 'no single-instance lock');
  const forbidden: Array<[RegExp, string]> = [
    [/shell\.openExternal\(/, 'shell.openExternal is used'],
    [/@electron\/remote|enableRemoteModule/, 'the remote module is used'],
    [/appendSwitch\(\s*'(ignore-certificate-errors|disable-web-security|no-sandbox)'/, 'an insecure command-line switch is set'],
    [/setCertificateVerifyProc|'certificate-error'/, 'certificate verification is overridden'],
    [/loadURL\(\s*['"`]https?:/, 'a remote URL is loaded'],
    [/openDevTools\(/, 'DevTools are opened'],
  ];
  for (const [pattern, what] of forbidden) if (pattern.test(main)) problems.push(`main process: ${what}`);
  // loadURL only ever with the checked loopback dev-server URL.
  for (const match of main.matchAll(/loadURL\(([^)]*)\)/g)) {
    if (match[1]?.trim() !== 'DEV_URL') problems.push(`main process: loadURL(${match[1]}) is not the checked dev URL`);
  }
  return problems;
}

/** The CSP must confine scripts to the app's own files. */
export function checkCsp(policy: string, where: string): string[] {
  const directives = new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map((words) => [words[0]!, words.slice(1)] as const),
  );
  const problems: string[] = [];
  const expect = (name: string, values: string[]): void => {
    const actual = directives.get(name);
    if (!actual || values.some((v) => !actual.includes(v)) || actual.length !== values.length) {
      problems.push(`${where}: ${name} should be ${values.join(' ')}, is ${actual?.join(' ') ?? '(absent)'}`);
    }
  };
  expect('default-src', ["'self'"]);
  expect('script-src', ["'self'"]);
  expect('object-src', ["'none'"]);
  expect('base-uri', ["'none'"]);
  expect('frame-ancestors', ["'none'"]);
  for (const [name, values] of directives) {
    for (const value of values) {
      if (/unsafe-eval|^\*$|^https?:$|^http:\/\/(?!127\.0\.0\.1|localhost)|^https:\/\//.test(value)) problems.push(`${where}: ${name} allows ${value}`);
    }
  }
  return problems;
}

/** The CSP the main process sends as a header (the CSP array joined in index.ts). */
export function mainProcessCsp(main: string): string {
  const block = /const CSP = \[([\s\S]*?)\]\.join\('; '\)/.exec(main)?.[1] ?? '';
  return [...block.matchAll(/"([^"]*)"|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? '').join('; ');
}

export function rendererCsp(indexHtml: string): string {
  return /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(indexHtml)?.[1] ?? '';
}

/** The preload exposes one object through contextBridge and never ipcRenderer itself. */
export function checkPreload(preload: string): string[] {
  const problems: string[] = [];
  const exposures = [...preload.matchAll(/exposeInMainWorld\(\s*'([^']+)',\s*([A-Za-z_$][\w$]*)\s*\)/g)];
  if (exposures.length !== 1 || exposures[0]?.[1] !== 'kms') problems.push(`preload: expected exactly window.kms, found ${exposures.map((e) => e[1]).join(', ') || 'none'}`);
  if (/exposeInMainWorld\([^)]*ipcRenderer\s*\)/.test(preload) || /:\s*ipcRenderer\s*[,}]/.test(preload)) problems.push('preload: ipcRenderer itself is exposed');
  if (/require\(|process\.|from 'node:/.test(preload)) problems.push('preload: uses Node APIs');
  return problems;
}

/** The renderer: no <webview>, no eval, no remote script. */
export function checkRenderer(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (/<webview\b/.test(file.text)) problems.push(`${file.path}: uses <webview>`);
    if (/\beval\(|new Function\(/.test(file.text)) problems.push(`${file.path}: evaluates strings as code`);
    if (/<script[^>]+src=["']https?:/.test(file.text)) problems.push(`${file.path}: loads a remote script`);
  }
  return problems;
}
