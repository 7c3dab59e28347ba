import { expect, type Page } from '@playwright/test';

/** A credential of an XKS proxy as the console shows it once: what AWS KMS signs its calls with. */
export interface XksShownCredential {
  AccessKeyId: string;
  SecretAccessKey: string;
}

/** The Create XKS proxy dialog: a name and a URI path, checked as the contract does; the key store it serves. */
export class CreateXksProxyDialog {
  readonly root;
  readonly name;
  readonly uriPath;
  /** The full path AWS KMS calls (`<path>/kms/xks/v1`). */
  readonly uriPathNote;
  readonly keyStore;
  readonly submitButton;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('xks-proxy-dialog');
    this.name = page.getByTestId('xks-proxy-name-input');
    this.uriPath = page.getByTestId('xks-proxy-uri-path-input');
    this.uriPathNote = page.getByTestId('xks-proxy-uri-path-note');
    this.keyStore = page.getByTestId('xks-proxy-key-store');
    this.submitButton = page.getByTestId('xks-proxy-submit');
  }

  async fill(name: string, uriPath: string): Promise<void> {
    await this.name.fill(name);
    await this.uriPath.fill(uriPath);
  }

  /** Creates the proxy; the console then shows its first credential once (see XksCredentialDialog). */
  submit(): Promise<void> {
    return this.submitButton.click();
  }
}

/** The one-time view of a new credential (after create or rotate): the secret is not kept. */
export class XksCredentialDialog {
  readonly root;
  readonly onceWarning;
  readonly uriPath;
  readonly accessKeyId;
  readonly secret;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('xks-credential-dialog');
    this.onceWarning = page.getByTestId('xks-credential-once-warning');
    this.uriPath = page.getByTestId('xks-credential-uri-path');
    this.accessKeyId = page.getByTestId('xks-credential-access-key-id');
    this.secret = page.getByTestId('xks-credential-secret');
  }

  /** Waits for the view and reads the credential it shows. */
  async read(): Promise<XksShownCredential> {
    // Generating the credential and sealing its secret takes a while on a loaded HSM.
    await expect(this.root).toBeVisible({ timeout: 60_000 });
    return {
      AccessKeyId: ((await this.accessKeyId.textContent()) ?? '').trim(),
      SecretAccessKey: ((await this.secret.textContent()) ?? '').trim(),
    };
  }

  /** The view's copy button of one value ("Access key ID", "Secret access key"). */
  copyButton(label: string) {
    return this.root.getByRole('button', { name: `Copy ${label}` });
  }

  /** Closes the view ("Done"); the secret is gone from the page afterwards. */
  async close(): Promise<void> {
    await this.page.getByTestId('xks-credential-close').click();
    await expect(this.root).toBeHidden();
  }
}

/** Delete XKS proxy: armed only once the proxy's name is typed. */
export class DeleteXksProxyDialog {
  readonly root;
  readonly nameInput;
  readonly confirmButton;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('xks-proxy-delete-dialog');
    this.nameInput = page.getByTestId('xks-proxy-delete-name');
    this.confirmButton = page.getByTestId('xks-proxy-delete-confirm');
  }

  typeName(name: string): Promise<void> {
    return this.nameInput.fill(name);
  }

  async confirm(): Promise<void> {
    await this.confirmButton.click();
    await expect(this.root).toBeHidden();
  }
}

/**
 * The XKS proxies page: the proxies that serve a key store to AWS KMS (create, rotate and retire
 * credentials, delete), each opened on its keys and URI, and the latest XKS calls from the audit log.
 */
export class XksProxiesPage {
  readonly table;
  /** "N XKS proxies". */
  readonly count;
  readonly empty;
  readonly endpointStopped;
  /** "Served by the application endpoint at https://…". */
  readonly endpointRunning;
  readonly createButton;
  readonly createDialog;
  readonly credentialDialog;
  readonly deleteDialog;
  /** The confirmation open now (rotate, retire). */
  readonly confirmation;
  /** Row cells, in table order. */
  readonly names;
  readonly uriPaths;
  /** Each row's access key ids, newest first. */
  readonly accessKeyIds;
  /** In an opened proxy: its credentials (the newest marked "newest"), keys and URI. */
  readonly credentials;
  readonly keyIds;
  readonly keyAliases;
  readonly uri;
  readonly uriStopped;
  /** The latest XKS calls, newest first, one locator per column. */
  readonly callOperations;
  readonly callOutcomes;
  readonly callProxies;
  readonly callAccessKeyIds;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('xks-proxies-table');
    this.count = page.getByTestId('xks-proxies-count');
    this.empty = page.getByTestId('xks-proxies-empty');
    this.endpointStopped = page.getByTestId('xks-endpoint-stopped');
    this.endpointRunning = page.getByTestId('xks-endpoint-running');
    this.createButton = page.getByTestId('create-xks-proxy');
    this.createDialog = new CreateXksProxyDialog(page);
    this.credentialDialog = new XksCredentialDialog(page);
    this.deleteDialog = new DeleteXksProxyDialog(page);
    this.confirmation = page.locator('.n-dialog');
    this.names = page.getByTestId('xks-proxy-name');
    this.uriPaths = page.getByTestId('xks-proxy-uri-path');
    this.accessKeyIds = page.getByTestId('xks-proxy-access-key-ids');
    this.credentials = page.getByTestId('xks-proxy-credential');
    this.keyIds = page.getByTestId('xks-proxy-key-id');
    this.keyAliases = page.getByTestId('xks-proxy-key-aliases');
    this.uri = page.getByTestId('xks-proxy-uri');
    this.uriStopped = page.getByTestId('xks-proxy-uri-stopped');
    this.callOperations = page.getByTestId('xks-call-operation');
    this.callOutcomes = page.getByTestId('xks-call-outcome');
    this.callProxies = page.getByTestId('xks-call-proxy');
    this.callAccessKeyIds = page.getByTestId('xks-call-access-key-id');
  }

  /** Opens the page from the menu. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-xks-proxies').click();
    await expect(this.count).toBeVisible();
  }

  async openCreateDialog(): Promise<CreateXksProxyDialog> {
    await this.createButton.click();
    await expect(this.createDialog.root).toBeVisible();
    return this.createDialog;
  }

  /** Creates a proxy of the default key store; resolves with its first credential, its one-time view still open. */
  async create(name: string, uriPath: string): Promise<XksShownCredential> {
    const dialog = await this.openCreateDialog();
    await dialog.fill(name, uriPath);
    await dialog.submit();
    return this.credentialDialog.read();
  }

  /** A proxy's row, by its name. */
  row(name: string) {
    return this.table.locator('tr').filter({ has: this.names.getByText(name, { exact: true }) });
  }

  /** Opens a proxy's row on its URI, credentials and keys. */
  async expand(name: string): Promise<void> {
    await this.row(name).locator('.n-data-table-expand-trigger').click();
    await expect(this.page.getByTestId(`xks-proxy-detail-${name}`)).toBeVisible();
  }

  /** Follows an opened proxy's link to the Access points page's endpoint card (shown while the endpoint is stopped). */
  async openEndpointLink(): Promise<void> {
    await this.page.getByTestId('xks-proxy-endpoint-link').click();
  }

  rotateButton(name: string) {
    return this.page.getByRole('button', { name: `Rotate the credential of ${name}`, exact: true });
  }

  /** Disabled while the proxy has one credential only. */
  retireButton(name: string) {
    return this.page.getByRole('button', { name: `Retire the older credentials of ${name}`, exact: true });
  }

  deleteButton(name: string) {
    return this.page.getByRole('button', { name: `Delete ${name}`, exact: true });
  }

  /** Presses a button of the confirmation open now ("Rotate", "Retire"). */
  async confirm(button: string): Promise<void> {
    await this.confirmation.getByRole('button', { name: button, exact: true }).click();
  }

  /** Rotates after the confirmation; resolves with the new credential, its one-time view still open. */
  async rotate(name: string): Promise<XksShownCredential> {
    await this.rotateButton(name).click();
    await this.confirm('Rotate');
    return this.credentialDialog.read();
  }

  /** Asks to retire every credential but the newest; the confirmation (`confirmation`) names them. */
  async askToRetire(name: string): Promise<void> {
    await this.retireButton(name).click();
    await expect(this.confirmation).toBeVisible();
  }

  /** Retires after the confirmation and waits for the console's "Retired …" message. */
  async retire(name: string): Promise<void> {
    await this.askToRetire(name);
    await this.confirm('Retire');
    await expect(this.page.getByText(/^Retired /).first()).toBeVisible();
  }

  /** Opens the delete dialog of a proxy (see DeleteXksProxyDialog). */
  async askToDelete(name: string): Promise<DeleteXksProxyDialog> {
    await this.deleteButton(name).click();
    await expect(this.deleteDialog.root).toBeVisible();
    return this.deleteDialog;
  }

  /** Deletes a proxy: opens the dialog, types its name, confirms. */
  async delete(name: string): Promise<void> {
    const dialog = await this.askToDelete(name);
    await dialog.typeName(name);
    await dialog.confirm();
  }

  /**
   * Refreshes the latest XKS calls until `count` are listed: usage records are group-committed, so
   * a call shows up in the audit log a moment after it was answered.
   */
  async waitForCalls(count: number, timeout = 20_000): Promise<void> {
    await expect(async () => {
      await this.page.getByTestId('xks-calls-refresh').click();
      await expect(this.callOperations).toHaveCount(count, { timeout: 1_000 });
    }).toPass({ timeout });
  }
}
