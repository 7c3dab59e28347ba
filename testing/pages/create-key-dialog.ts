import { expect, type Page } from '@playwright/test';
import { choose, escapeRegExp } from '../naive-ui';

/** The option of the create dialog's origin select for imported material. */
const EXTERNAL_ORIGIN = 'EXTERNAL: key material imported later';

export interface CreateKeyOptions {
  /** A key spec as the select lists it, e.g. `Aliyun_AES_256`, `EC_P256`. */
  spec: string;
  /** A usage as the select lists it (`SIGN/VERIFY`); the spec's default otherwise. */
  usage?: string;
  /** What the officer types after the dialog's fixed `alias/` prefix. */
  alias?: string;
  description?: string;
  /** The name of a connected key store; the dialog's preselected one otherwise. */
  store?: string;
  /** Imported material: the dialog's acknowledgement is ticked, the key starts PendingImport. */
  external?: boolean;
  /** In an external key store: the key's id at the XKS proxy (the dialog requires it there). */
  xksKeyId?: string;
}

/** The Create key dialog of the Keys page. */
export class CreateKeyDialog {
  readonly root;
  readonly submitButton;
  readonly store;
  readonly usage;
  readonly alias;
  readonly aliasPrefix;
  readonly description;
  readonly origin;
  readonly externalNote;
  readonly externalAck;
  /** In an external key store: the origin shown instead of the select, and the external key id. */
  readonly originFixed;
  readonly xksKeyId;
  readonly rotate;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('create-key-dialog');
    this.submitButton = page.getByTestId('create-key-submit');
    this.store = page.getByTestId('create-key-store');
    this.usage = page.getByTestId('create-key-usage');
    this.alias = page.getByTestId('create-key-alias');
    this.aliasPrefix = page.getByTestId('create-key-alias-prefix');
    this.description = page.getByTestId('create-key-description');
    this.origin = page.getByTestId('create-key-origin');
    this.externalNote = page.getByTestId('create-key-external-note');
    this.externalAck = page.getByTestId('create-key-external-ack');
    this.originFixed = page.getByTestId('create-key-origin-fixed');
    this.xksKeyId = page.getByTestId('create-key-xks-key-id');
    this.rotate = page.getByTestId('create-key-rotate');
  }

  chooseSpec(spec: string): Promise<void> {
    return choose(this.page, 'create-key-spec', spec);
  }

  chooseUsage(usage: string): Promise<void> {
    return choose(this.page, 'create-key-usage', usage);
  }

  /** Picks a key store by name (its label goes on with the type and protection level). */
  chooseStore(name: string): Promise<void> {
    return choose(this.page, 'create-key-store', new RegExp(`^${escapeRegExp(name)} \\(`));
  }

  /** Key material imported later (the key starts PendingImport). */
  chooseExternalOrigin(): Promise<void> {
    return choose(this.page, 'create-key-origin', EXTERNAL_ORIGIN);
  }

  /** Fills the dialog; a store is picked first, because it decides which specs are offered. */
  async fill(options: CreateKeyOptions): Promise<void> {
    if (options.store) await this.chooseStore(options.store);
    await this.chooseSpec(options.spec);
    if (options.usage) await this.chooseUsage(options.usage);
    if (options.description !== undefined) await this.description.fill(options.description);
    if (options.alias) await this.alias.fill(options.alias);
    if (options.xksKeyId !== undefined) await this.xksKeyId.fill(options.xksKeyId);
    if (options.external) {
      await this.chooseExternalOrigin();
      // The dialog refuses imported material until its consequences are acknowledged.
      await expect(this.submitButton).toBeDisabled();
      await this.externalAck.click();
    }
  }

  /** Submits; the console opens the new key's page (see KeyDetailPage). */
  submit(): Promise<void> {
    return this.submitButton.click();
  }

  /** Closes the dialog without creating anything. */
  cancel(): Promise<void> {
    return this.page.keyboard.press('Escape');
  }
}
