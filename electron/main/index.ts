import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type WebContents } from 'electron';
import { bindFileIpc, bindIpc, type FileDialogs } from './transports/ipc';
import { createCore } from './app/core';
import type { Core } from './app/core-types';
import { createElectronLauncher } from './app/electron-launcher';
import { acquireInstanceLock } from './app/instance-lock';
import { BACKUP_FILE_EXTENSION } from '../../shared/contract';

/**
 * The Electron shell. It holds no key logic: it hardens the window, composes the core with a
 * utility-process PKCS#11 launcher, and binds the core to IPC. Everything here follows Electron's
 * security checklist because the page is treated as untrusted even though we ship it.
 */

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const RENDERER_DIR = path.resolve(here, '..', 'renderer');
const RENDERER_INDEX = path.join(RENDERER_DIR, 'index.html');
const PRELOAD = path.join(here, '..', 'preload', 'index.cjs');
const HSM_WORKER = path.join(here, 'hsm-worker.js');
/** `electron-vite dev` serves the renderer over loopback; production loads only the file above. */
const DEV_URL: string | null = /^http:\/\/(localhost|127\.0\.0\.1):\d+\/?$/.test(process.env.ELECTRON_RENDERER_URL ?? '')
  ? (process.env.ELECTRON_RENDERER_URL ?? null)
  : null;

/** Same policy as the <meta> in renderer/index.html, minus the browser host's WebSocket. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The app page itself (query and hash ignored), or the dev server's origin. */
function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (DEV_URL) return url.origin === new URL(DEV_URL).origin;
    return url.protocol === 'file:' && path.resolve(fileURLToPath(url)) === RENDERER_INDEX;
  } catch {
    return false;
  }
}

/** Requests the renderer may make: its own files (and the dev server in development), nothing remote. */
function isAllowedRequest(raw: string): boolean {
  try {
    const url = new URL(raw);
    switch (url.protocol) {
      case 'file:':
        return path.resolve(fileURLToPath(url)).startsWith(RENDERER_DIR + path.sep);
      case 'devtools:':
      case 'data:':
      case 'blob:':
        return true;
      default:
        return DEV_URL !== null && url.host === new URL(DEV_URL).host && (url.protocol === 'http:' || url.protocol === 'ws:');
    }
  } catch {
    return false;
  }
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  // No camera, notifications, clipboard-read, USB, serial, HID…: a key console needs none of them.
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Applied to every WebContents, including any the page might manage to create. */
function hardenContents(contents: WebContents): void {
  const blockForeign = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Keyward',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise open links in a new window before any handler sees them.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  void (DEV_URL ? window.loadURL(DEV_URL) : window.loadFile(RENDERER_INDEX));
  return window;
}

function dataDirectory(): string {
  const dir = process.env.KMS_DATA_DIR ? path.resolve(process.env.KMS_DATA_DIR) : app.getPath('userData');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * RegisterModule of a library that is not root's file in a system library directory: the officer
 * decides in a dialog of the main process, which the page can neither draw nor answer.
 */
async function confirmUntrustedModule(libraryPath: string): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'warning',
    title: 'Load a PKCS#11 library?',
    message: `Load the PKCS#11 library ${libraryPath}?`,
    detail:
      'It was not installed by root in a system library directory. Loading it runs its code with your rights, ' +
      'now and each time Keyward starts it. Continue only if you installed this file yourself.',
    buttons: ['Cancel', 'Load the library'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return response === 1;
}

/** Backup files are `*.kwbackup`; the dialogs belong to the window, so the page cannot draw over them. */
const BACKUP_FILTERS: Electron.FileFilter[] = [
  { name: 'Keyward backup', extensions: [BACKUP_FILE_EXTENSION.slice(1)] },
  { name: 'All files', extensions: ['*'] },
];

const fileDialogs: FileDialogs = {
  async chooseSavePath(fileName) {
    const options: Electron.SaveDialogOptions = { title: 'Save the backup', defaultPath: fileName, filters: BACKUP_FILTERS, properties: ['showOverwriteConfirmation'] };
    const { canceled, filePath } = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    return canceled || !filePath ? null : filePath;
  },
  async chooseOpenPath() {
    const options: Electron.OpenDialogOptions = { title: 'Open a backup', filters: BACKUP_FILTERS, properties: ['openFile'] };
    const { canceled, filePaths } = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    const [chosen] = filePaths;
    return canceled || chosen === undefined ? null : chosen;
  },
};

let core: Core | null = null;
let closing = false;

async function start(): Promise<void> {
  hardenSession();
  const dataDir = dataDirectory();
  // Electron's single-instance lock covers its user data only; KMS_DATA_DIR may be a browser host's.
  acquireInstanceLock(dataDir, 'electron', { note: (message) => console.warn(message) });
  core = await createCore({ dataDir, launcher: createElectronLauncher(HSM_WORKER), confirmUntrustedModule });
  bindIpc(ipcMain, core, isAppUrl);
  bindFileIpc(ipcMain, core.files, fileDialogs, isAppUrl);
  mainWindow = createWindow();
}

// One instance only: two processes would open the same SQLite registry and the same tokens.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Must run before `ready`: every renderer, not only our window, gets the OS-level sandbox.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Close the core (workers: C_Finalize; registry: WAL checkpoint) before the process goes.
    if (!core || closing) return;
    event.preventDefault();
    closing = true;
    const pending = core;
    core = null;
    void pending
      .close()
      .catch((error: unknown) => console.error('Keyward: closing the core failed', error))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`Keyward failed to start: ${message}`);
      dialog.showErrorBox('Keyward failed to start', message);
      app.exit(1);
    });
}
