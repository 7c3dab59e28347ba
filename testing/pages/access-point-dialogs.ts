import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { chooseMany, escapeRegExp } from '../naive-ui';

/** A policy's permission, by its checkbox: key user or secret user. */
export type AccessPermission = 'key' | 'secret';

/** How a policy resource is added: the Add button, or Enter in its field. */
export type ResourceEntry = 'add-button' | 'enter';

export interface NetworkRuleFields {
  /** Only when creating: an existing rule keeps its name. */
  name?: string;
  /** One per line, as typed; an empty string is a blank line. */
  addresses?: string[];
  description?: string;
}

export interface PolicyFields {
  name?: string;
  permissions?: AccessPermission[];
  resources?: string[];
  /** Names of network rules (their option also shows the addresses). */
  networkRules?: string[];
  description?: string;
}

export interface AccessPointFields {
  name?: string;
  description?: string;
  /** Names of policies. */
  policies?: string[];
}

/** Picks the options of a multi-select by name: the option whose label is the name, or the name and its addresses in brackets. */
async function chooseNames(page: Page, testId: string, names: readonly string[]): Promise<void> {
  await chooseMany(page, testId, names.map((name) => new RegExp(`^${escapeRegExp(name)}(?: \\(|$)`)));
}

/** Types a time into a Naive UI date-time picker (the console shows and reads UTC), then closes its panel. */
async function typeUtcTime(page: Page, picker: Locator, time: Date): Promise<void> {
  await picker.locator('input').fill(time.toISOString().slice(0, 19).replace('T', ' '));
  await page.keyboard.press('Escape');
}

/** What the three create/edit dialogs of the Access points page share: name (create only), description, Create or Save. */
abstract class AccessObjectDialog {
  protected constructor(
    readonly page: Page,
    readonly root: Locator,
    readonly nameInput: Locator,
    readonly descriptionInput: Locator,
    /** Create, or Save when editing; disabled until the fields are acceptable. */
    readonly submitButton: Locator,
  ) {}

  /** Fills name (when given) and description (when given). */
  protected async fillCommon(fields: { name?: string; description?: string }): Promise<void> {
    if (fields.name !== undefined) await this.nameInput.fill(fields.name);
    if (fields.description !== undefined) await this.descriptionInput.fill(fields.description);
  }

  /** Creates or saves; waits until the dialog closes (it stays open, with the error notification, if Keyward refused). */
  async submit(): Promise<void> {
    await this.submitButton.click();
    await expect(this.root).toBeHidden();
  }
}

/** The Create / Edit network rule dialog: name, source addresses (IPs or CIDR blocks, one a line), description. */
export class NetworkRuleDialog extends AccessObjectDialog {
  readonly addressesInput;

  constructor(page: Page) {
    super(
      page,
      page.getByTestId('network-rule-dialog'),
      page.getByTestId('network-rule-name-input'),
      page.getByTestId('network-rule-description-input'),
      page.getByTestId('network-rule-submit'),
    );
    this.addressesInput = page.getByTestId('network-rule-addresses-input');
  }

  /** Fills the fields given; the addresses replace what the field held. */
  async fill(fields: NetworkRuleFields): Promise<void> {
    if (fields.name !== undefined) await this.nameInput.fill(fields.name);
    if (fields.addresses) await this.addressesInput.fill(fields.addresses.join('\n'));
    if (fields.description !== undefined) await this.descriptionInput.fill(fields.description);
  }
}

/** The Create / Edit policy dialog: name, permissions, resources (as tags), network rules, description. */
export class PolicyDialog extends AccessObjectDialog {
  readonly resourceInput;
  readonly resourceAddButton;
  /** Why the typed resource is not accepted (with the forms that are). */
  readonly resourceProblem;
  /** The added resources, one tag each (`data-resource`). */
  readonly resourceTags;

  constructor(page: Page) {
    super(page, page.getByTestId('policy-dialog'), page.getByTestId('policy-name-input'), page.getByTestId('policy-description-input'), page.getByTestId('policy-submit'));
    this.resourceInput = page.getByTestId('policy-resource-input');
    this.resourceAddButton = page.getByTestId('policy-resource-add');
    this.resourceProblem = page.getByTestId('policy-resource-problem');
    this.resourceTags = page.getByTestId('policy-resource-tag');
  }

  /** Ticks a permission's checkbox (a second call unticks it). */
  async togglePermission(permission: AccessPermission): Promise<void> {
    await (permission === 'key' ? this.page.getByTestId('policy-permission-key') : this.page.getByTestId('policy-permission-secret')).click();
  }

  /** Types a resource and adds it as a tag, with the Add button or with Enter; waits for its tag. */
  async addResource(resource: string, entry: ResourceEntry = 'add-button'): Promise<void> {
    await this.resourceInput.fill(resource);
    if (entry === 'enter') await this.resourceInput.press('Enter');
    else await this.resourceAddButton.click();
    await expect(this.resourceTags.and(this.page.locator(`[data-resource="${resource}"]`))).toBeVisible();
  }

  /** Picks network rules by name. */
  chooseNetworkRules(names: readonly string[]): Promise<void> {
    return chooseNames(this.page, 'policy-network-rules-input', names);
  }

  /** Fills the fields given, in the dialog's order; resources are added with the Add button. */
  async fill(fields: PolicyFields): Promise<void> {
    await this.fillCommon({ name: fields.name });
    for (const permission of fields.permissions ?? []) await this.togglePermission(permission);
    for (const resource of fields.resources ?? []) await this.addResource(resource);
    if (fields.networkRules) await this.chooseNetworkRules(fields.networkRules);
    await this.fillCommon({ description: fields.description });
  }
}

/** The Create / Edit access point dialog: name, description, 1-3 policies. */
export class AccessPointDialog extends AccessObjectDialog {
  constructor(page: Page) {
    super(
      page,
      page.getByTestId('access-point-dialog'),
      page.getByTestId('access-point-name-input'),
      page.getByTestId('access-point-description-input'),
      page.getByTestId('access-point-submit'),
    );
  }

  /** Picks policies by name. */
  choosePolicies(names: readonly string[]): Promise<void> {
    return chooseNames(this.page, 'access-point-policies-input', names);
  }

  async fill(fields: AccessPointFields): Promise<void> {
    await this.fillCommon(fields);
    if (fields.policies) await this.choosePolicies(fields.policies);
  }
}

/**
 * The Create client key dialog of an access point: the password twice and the certificate's
 * validity, then the one-time view of the issued key (its id, the client key file and CA
 * certificate downloads, the access key secret). Closing it drops the issued key from memory.
 */
export class CreateClientKeyDialog {
  readonly root;
  readonly passwordInput;
  readonly passwordConfirmInput;
  readonly notBeforePicker;
  readonly notAfterPicker;
  readonly submitButton;
  /** Cancel, or Done once the key is issued. */
  readonly closeButton;
  /** The one-time view. */
  readonly issued;
  readonly issuedId;
  /** "<not before> UTC → <not after> UTC". */
  readonly issuedValidity;
  readonly onceWarning;
  readonly secretMasked;
  readonly secret;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('create-client-key-dialog');
    this.passwordInput = page.getByTestId('client-key-password');
    this.passwordConfirmInput = page.getByTestId('client-key-password-confirm');
    this.notBeforePicker = page.getByTestId('client-key-not-before');
    this.notAfterPicker = page.getByTestId('client-key-not-after');
    this.submitButton = page.getByTestId('create-client-key-submit');
    this.closeButton = page.getByTestId('create-client-key-close');
    this.issued = page.getByTestId('client-key-issued');
    this.issuedId = page.getByTestId('client-key-issued-id');
    this.issuedValidity = page.getByTestId('client-key-issued-validity');
    this.onceWarning = page.getByTestId('client-key-once-warning');
    this.secretMasked = page.getByTestId('client-key-secret-masked');
    this.secret = page.getByTestId('client-key-secret');
  }

  /** Types the password, and again (`confirmation`, the same unless given). */
  async fillPassword(password: string, confirmation = password): Promise<void> {
    await this.passwordInput.fill(password);
    await this.passwordConfirmInput.fill(confirmation);
  }

  /** Types the certificate's validity (UTC), Not before then Not after; an omitted end keeps its field. */
  async setValidity(validity: { notBefore?: Date; notAfter?: Date }): Promise<void> {
    if (validity.notBefore) await typeUtcTime(this.page, this.notBeforePicker, validity.notBefore);
    if (validity.notAfter) await typeUtcTime(this.page, this.notAfterPicker, validity.notAfter);
  }

  /** Creates the client key; resolves with its id once the one-time view shows (the key pair is made on the HSM: slow). */
  async submit(): Promise<string> {
    await this.submitButton.click();
    await expect(this.issued).toBeVisible({ timeout: 60_000 });
    return ((await this.issuedId.textContent()) ?? '').trim();
  }

  /** Downloads the client key file (`clientKey_<id>.json`: KeyId and the PKCS#12 as PrivateKeyData); save it with `download.saveAs(path)`. */
  downloadClientKeyFile(): Promise<Download> {
    return this.downloadFrom(this.page.getByTestId('client-key-download'));
  }

  /** Downloads the instance CA certificate (PEM) applications verify the endpoint with. */
  downloadCaCertificate(): Promise<Download> {
    return this.downloadFrom(this.page.getByTestId('client-key-ca-download'));
  }

  private async downloadFrom(button: Locator): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return download;
  }

  /** Reveals the access key secret; resolves with it. */
  async revealSecret(): Promise<string> {
    await this.page.getByTestId('client-key-secret-toggle').click();
    return ((await this.secret.textContent()) ?? '').trim();
  }

  /** Cancel or Done: waits until the dialog closed. */
  async close(): Promise<void> {
    await this.closeButton.click();
    await expect(this.root).toBeHidden();
  }
}
