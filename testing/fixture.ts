import { test as base, type Page } from '@playwright/test';
import { launchElectron } from './electron';
import { hostKmsClient, type KmsClient } from './kms-client';
import { createLabHsms, type LabHsm } from './lab-hsms';
import { launchHost } from './launch';

export interface KeywardOptions {
  /** The default key store's password (the officer password), used when `initialize` is on. */
  password: string;
  /** A data directory to use and keep; default: a fresh temporary one, removed after the test. */
  dataDir: string | undefined;
  /** Initialize the default key store with `password` (or connect it, on a `dataDir` set up before). Default true. */
  initialize: boolean;
  /**
   * Browser host only: open the console's one session at launch, for `page` and `kms` (default true).
   * Off, the test opens `keyward.launchUrl` itself (to check the launch): `page` stays blank and `kms`
   * refuses every call, so `initialize` and `tokens` need it on.
   */
  openSession: boolean;
  /** Names of SoftHSM2 "devices" to create and register as modules, each with one blank token slot. */
  tokens: string[];
  /** `browser-host` (Debian Chromium against the loopback host; the default) or `electron` (needs a binary). */
  runtime: 'browser-host' | 'electron';
  /**
   * The console's language at the first page load (`zh-CN`: Simplified Chinese). The officer may still
   * switch it in the header during the test; page objects find elements by test id, not by text.
   */
  language: ConsoleLanguage;
}

/** The languages the console speaks (and page objects' texts match). */
export const CONSOLE_LANGUAGES = ['en', 'zh-CN'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

export interface Keyward {
  /** The console's address (it opens no session by itself). */
  url: string;
  dataDir: string;
  /** The SoftHSM2 modules of the `tokens` option, registered, in the order given. */
  tokens: LabHsm[];
  runtime: KeywardOptions['runtime'];
  /** Browser host: its single-use launch address (already used unless `openSession` is off); '' for Electron. */
  launchUrl: string;
  /** Stops Keyward mid-test, e.g. to see how the console copes (the fixture's clean-up then has less to do). */
  stop(): Promise<void>;
  /** What the browser host printed so far ('' for Electron); attached to a failed test as keyward.log. */
  log(): string;
}

interface KeywardFixtures {
  keyward: Keyward;
  kms: KmsClient;
}

/** One running Keyward, whichever runtime: what the public fixtures are made from. */
interface Running {
  url: string;
  launchUrl: string;
  dataDir: string;
  kms: KmsClient;
  /** The Electron window, which stands in for `page` there; null for the browser host. */
  window: Page | null;
  /** `keyward_session=…` the kit opened on the browser host, for the test's page to join. */
  sessionCookie: string;
  log(): string;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

async function startRuntime(runtime: KeywardOptions['runtime'], dataDir: string | undefined, openSession: boolean): Promise<Running> {
  const where = dataDir === undefined ? {} : { dataDir };
  if (runtime === 'electron') {
    const app = await launchElectron(where);
    const { window } = app;
    return { url: window.url(), launchUrl: '', dataDir: app.dataDir, kms: app.kms, window, sessionCookie: '', log: () => '', stop: app.stop, dispose: app.dispose };
  }
  const launched = await launchHost({ openSessionFromNode: openSession, ...where });
  const { host } = launched;
  return {
    url: host.url,
    launchUrl: host.launchUrl,
    dataDir: host.dataDir,
    kms: openSession ? hostKmsClient(host) : sessionlessKms,
    window: null,
    sessionCookie: host.sessionCookie,
    log: launched.log,
    stop: host.stop,
    dispose: launched.dispose,
  };
}

/** The `kms` of a test that opens the session itself: the host would refuse its socket anyway. */
const sessionlessKms: KmsClient = {
  call: (operation) => Promise.reject(new Error(`kms.call('${operation}') needs the session the kit opens: leave the option openSession on`)),
};

/** Test password of the kit's default; a procedure under test should set its own. */
const DEFAULT_PASSWORD = 'Keyward-Test-2024';

async function prepareDefaultKeyStore(kms: KmsClient, password: string): Promise<void> {
  const { KeyStores } = await kms.call('DescribeKeyStores', { KeyStoreId: 'kst-default' });
  const store = KeyStores[0];
  if (!store) throw new Error('the default key store is missing');
  if (!store.Initialized) await kms.call('InitializeDefaultKeyStore', { KeyStorePassword: password });
  else if (store.ConnectionState !== 'CONNECTED') await kms.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: password });
}

/**
 * Keyward for a Playwright test: one instance per test on its own data directory, the default key
 * store ready, `page` on its console (in the same session as `kms`), everything removed afterwards.
 */
export const test = base.extend<KeywardFixtures & KeywardOptions & { running: Running & Pick<Keyward, 'tokens' | 'runtime'> }>({
  password: [DEFAULT_PASSWORD, { option: true }],
  dataDir: [undefined, { option: true }],
  initialize: [true, { option: true }],
  openSession: [true, { option: true }],
  tokens: [[], { option: true }],
  runtime: ['browser-host', { option: true }],
  language: ['en', { option: true }],

  running: async ({ context, password, dataDir, initialize, openSession, tokens, runtime, language }, use, testInfo) => {
    // Checked at run time too: a JavaScript project (or a cast) gets no type error for 'zh-CN'.
    if (!(CONSOLE_LANGUAGES as readonly string[]).includes(language)) {
      throw new Error(`language '${language}' is not available: the console speaks ${CONSOLE_LANGUAGES.join(', ')} only`);
    }
    if (!openSession && (initialize || tokens.length > 0)) throw new Error('initialize and tokens need the session: set them off (false, []) with openSession off');
    const running = await startRuntime(runtime, dataDir, openSession);
    let lab: Awaited<ReturnType<typeof createLabHsms>> | null = null;
    try {
      if (running.sessionCookie) {
        // The page joins the session the kit opened: the same cookie the kms client carries.
        const [name, value] = splitCookie(running.sessionCookie);
        await context.addCookies([{ name, value, url: running.url, httpOnly: true, sameSite: 'Strict' }]);
      }
      if (initialize) await prepareDefaultKeyStore(running.kms, password);
      if (tokens.length > 0) lab = await createLabHsms(running.kms, tokens);
      await use({ ...running, tokens: lab?.hsms ?? [], runtime });
    } finally {
      await running.dispose();
      await lab?.cleanup();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('keyward.log', { body: running.log(), contentType: 'text/plain' });
    }
  },
  keyward: async ({ running }, use) =>
    use({
      url: running.url,
      launchUrl: running.launchUrl,
      dataDir: running.dataDir,
      tokens: running.tokens,
      runtime: running.runtime,
      stop: running.stop,
      log: running.log,
    }),
  kms: async ({ running }, use) => use(running.kms),
  page: async ({ page, running, openSession, language }, use) => {
    if (running.window) return use(running.window);
    // The console reads its language from this key before its first paint; set once, so a switch in
    // the header during the test survives a reload.
    await page.addInitScript((locale) => {
      try {
        if (localStorage.getItem('keyward.locale') === null) localStorage.setItem('keyward.locale', locale);
      } catch {
        // A document with no storage of its own (a file:// launch page, about:blank): nothing to set.
      }
    }, language);
    if (openSession) await page.goto(running.url);
    await use(page);
  },
});

function splitCookie(header: string): [string, string] {
  const at = header.indexOf('=');
  if (at <= 0) throw new Error('the launch address set no session cookie');
  return [header.slice(0, at), header.slice(at + 1)];
}

export { expect } from '@playwright/test';
