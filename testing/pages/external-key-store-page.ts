import { expect, type Page } from '@playwright/test';
import { KeyStorePage } from './key-store-page';
import { KeyStoresPage } from './key-stores-page';

/** How an external key store reaches its XKS proxy, as the create dialog asks for it. */
export interface XksProxySettings {
  /** `https://host` or `https://host:port`, no path. */
  endpoint: string;
  /** Ends with `/kms/xks/v1`. */
  uriPath: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** PEM of the CA the proxy's certificate chains to; the system's CAs otherwise. */
  caCertificate?: string;
}

/** The Create external key store dialog: a name and the proxy's settings, each field checked as CreateKeyStore does. */
export class CreateExternalKeyStoreDialog {
  readonly root;
  readonly name;
  /** Always PUBLIC_ENDPOINT. */
  readonly connectivity;
  readonly endpoint;
  readonly uriPath;
  readonly accessKeyId;
  /** A password field: the secret is never shown. */
  readonly secret;
  readonly caCertificate;
  readonly submitButton;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('create-xks-store-dialog');
    this.name = page.getByTestId('xks-store-name');
    this.connectivity = page.getByTestId('xks-store-connectivity');
    this.endpoint = page.getByTestId('xks-store-endpoint');
    this.uriPath = page.getByTestId('xks-store-uri-path');
    this.accessKeyId = page.getByTestId('xks-store-access-key-id');
    this.secret = page.getByTestId('xks-store-secret');
    this.caCertificate = page.getByTestId('xks-store-ca-certificate');
    this.submitButton = page.getByTestId('create-xks-store-submit');
  }

  async fill(name: string, settings: XksProxySettings): Promise<void> {
    await this.name.fill(name);
    await this.endpoint.fill(settings.endpoint);
    await this.uriPath.fill(settings.uriPath);
    await this.accessKeyId.fill(settings.accessKeyId);
    await this.secret.fill(settings.secretAccessKey);
    if (settings.caCertificate !== undefined) await this.caCertificate.fill(settings.caCertificate);
  }

  /** Creates the key store (DISCONNECTED until connected) and waits for the dialog to close. */
  async submit(): Promise<void> {
    await this.submitButton.click();
    await expect(this.root).toBeHidden();
  }
}

/** Edit proxy settings (while the store is disconnected): the secret starts empty and is kept unless a new one is typed. */
export class EditXksProxyDialog {
  readonly root;
  readonly endpoint;
  readonly accessKeyId;
  readonly secret;
  readonly submitButton;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('edit-xks-proxy-dialog');
    this.endpoint = page.getByTestId('edit-xks-endpoint');
    this.accessKeyId = page.getByTestId('edit-xks-access-key-id');
    this.secret = page.getByTestId('edit-xks-secret');
    this.submitButton = page.getByTestId('edit-xks-proxy-submit');
  }

  /** Saves the settings and waits for the dialog to close. */
  async save(): Promise<void> {
    await this.submitButton.click();
    await expect(this.root).toBeHidden();
  }
}

/** An external key store's row on the Key stores page. */
export class ExternalKeyStoreRow {
  readonly root;
  /** EXTERNAL_KEY_STORE. */
  readonly type;
  /** Endpoint and path of the proxy it calls. */
  readonly proxyUri;
  /** What the last call to the proxy found ("not checked yet", "Answered…"). */
  readonly health;
  readonly healthVendor;
  readonly healthError;
  /** The connection error code of a FAILED store. */
  readonly connectionError;
  /** Connect or Disconnect, by the store's name. */
  readonly connectButton;
  readonly link;

  constructor(list: KeyStoresPage, name: string) {
    this.root = list.row(name);
    this.type = this.root.getByTestId('keystore-type');
    this.proxyUri = this.root.getByTestId('keystore-proxy-uri');
    this.health = this.root.getByTestId('keystore-health');
    this.healthVendor = this.root.getByTestId('keystore-health-vendor');
    this.healthError = this.root.getByTestId('keystore-health-error');
    this.connectionError = this.root.getByTestId('keystore-row-error');
    this.connectButton = this.root.getByRole('button', { name: `Connect ${name}`, exact: true });
    this.link = this.root.getByTestId('keystore-link');
  }
}

/** An external key store's page: the connection (no password: Keyward calls the proxy), the proxy's settings and its last health. */
export class ExternalKeyStorePage extends KeyStorePage {
  /** What to check after a failed connect. */
  readonly errorText;
  readonly endpoint;
  readonly uriPath;
  /** The access key id only: the secret is never shown. */
  readonly accessKeyId;
  /** Which CAs the proxy's certificate is checked against. */
  readonly ca;
  readonly healthOk;
  readonly healthError;
  readonly vendor;
  /** Disabled while connected, with a note saying so. */
  readonly editButton;
  readonly editNote;
  readonly editDialog;

  constructor(page: Page) {
    super(page);
    this.errorText = page.getByTestId('keystore-error-text');
    this.endpoint = page.getByTestId('keystore-xks-endpoint');
    this.uriPath = page.getByTestId('keystore-xks-uri-path');
    this.accessKeyId = page.getByTestId('keystore-xks-access-key-id');
    this.ca = page.getByTestId('keystore-xks-ca');
    this.healthOk = page.getByTestId('keystore-xks-health-ok');
    this.healthError = page.getByTestId('keystore-xks-health-error');
    this.vendor = page.getByTestId('keystore-xks-vendor');
    this.editButton = page.getByTestId('keystore-xks-edit');
    this.editNote = page.getByTestId('keystore-xks-edit-note');
    this.editDialog = new EditXksProxyDialog(page);
  }

  /** Connects (ConnectKeyStore probes the proxy); the caller judges the outcome (`state`, `errorCode`). */
  async connectToProxy(): Promise<void> {
    await this.page.getByTestId('keystore-connect').click();
  }

  async openEdit(): Promise<EditXksProxyDialog> {
    await this.editButton.click();
    await expect(this.editDialog.root).toBeVisible();
    return this.editDialog;
  }

  /** Replaces the secret access key the store signs its proxy calls with (the store must be disconnected). */
  async changeSecret(secretAccessKey: string): Promise<void> {
    const dialog = await this.openEdit();
    await dialog.secret.fill(secretAccessKey);
    await dialog.save();
  }
}

/** The Key stores page with its external key store flows: create, a row's proxy and health, connect. */
export class ExternalKeyStoresPage extends KeyStoresPage {
  readonly createButton;
  readonly createDialog;

  constructor(page: Page) {
    super(page);
    this.createButton = page.getByTestId('keystores-create-external');
    this.createDialog = new CreateExternalKeyStoreDialog(page);
  }

  async openCreateDialog(): Promise<CreateExternalKeyStoreDialog> {
    await this.createButton.click();
    await expect(this.createDialog.root).toBeVisible();
    return this.createDialog;
  }

  /** Creates an external key store from the Key stores page; it is listed DISCONNECTED. */
  async create(name: string, settings: XksProxySettings): Promise<ExternalKeyStoreRow> {
    await this.open();
    const dialog = await this.openCreateDialog();
    await dialog.fill(name, settings);
    await dialog.submit();
    return this.externalRow(name);
  }

  externalRow(name: string): ExternalKeyStoreRow {
    return new ExternalKeyStoreRow(this, name);
  }

  /** Connects a store from its row (no password is asked) and waits for CONNECTED. */
  async connect(name: string): Promise<void> {
    const row = this.externalRow(name);
    await row.connectButton.click();
    // The first connect probes the proxy over TLS.
    await expect(row.root).toContainText('CONNECTED', { timeout: 30_000 });
  }

  /** Opens an external key store's page from its row. */
  async openExternalStore(name: string): Promise<ExternalKeyStorePage> {
    await this.externalRow(name).link.click();
    return new ExternalKeyStorePage(this.page);
  }
}
