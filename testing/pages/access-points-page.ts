import { expect, type Locator, type Page } from '@playwright/test';
import { escapeRegExp } from '../naive-ui';
import {
  AccessPointDialog,
  CreateClientKeyDialog,
  NetworkRuleDialog,
  PolicyDialog,
  type AccessPointFields,
  type NetworkRuleFields,
  type PolicyFields,
} from './access-point-dialogs';

/** The tabs of the Access points page. */
export type AccessTab = 'access-points' | 'policies' | 'network-rules' | 'endpoint';

/** The confirmation dialog open now (deletion, revocation, stopping the endpoint). */
function confirmation(page: Page): Locator {
  return page.locator('.n-dialog');
}

/** Clicks the open confirmation's button with this label (its other button is Cancel). */
async function confirmWith(page: Page, button: string): Promise<void> {
  await confirmation(page).getByRole('button', { name: button, exact: true }).click();
}

/** The locators one list of the page is built from (each list has its own test ids). */
interface AccessListIds {
  count: Locator;
  table: Locator;
  empty: Locator;
  createButton: Locator;
  /** The name cell of each row (`data-name` is the name). */
  nameCells: Locator;
  editButtons: Locator;
  deleteButtons: Locator;
}

/** One list of the Access points page (network rules, policies or access points): its count, Create button and rows. */
export class AccessList {
  /** "N network rules" and the like. */
  readonly count;
  readonly table;
  /** What the table says while the list is empty. */
  readonly empty;
  readonly createButton;
  /** The name cells of all rows, in order. */
  readonly names;
  private readonly editButtons;
  private readonly deleteButtons;

  constructor(ids: AccessListIds) {
    this.count = ids.count;
    this.table = ids.table;
    this.empty = ids.empty;
    this.createButton = ids.createButton;
    this.names = ids.nameCells;
    this.editButtons = ids.editButtons;
    this.deleteButtons = ids.deleteButtons;
  }

  /** The table row of one entry, by its name. */
  row(name: string): Locator {
    return this.table.locator('tbody tr').filter({ has: this.names.filter({ hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  }

  /** Clicks the row's Edit: its dialog opens on the entry (its name cannot change). */
  async edit(name: string): Promise<void> {
    await this.row(name).locator(this.editButtons).click();
  }

  /** Clicks the row's Delete: the confirmation opens (see AccessPointsPage.confirmation and confirm). */
  async askToDelete(name: string): Promise<void> {
    await this.row(name).locator(this.deleteButtons).click();
  }
}

/**
 * The application endpoint card (the Endpoint tab): start it on an address and port, its state, port
 * and TLS fingerprint while it runs, the latest application calls, stop.
 */
export class ApplicationEndpointCard {
  /** RUNNING or STOPPED. */
  readonly state;
  readonly addressInput;
  readonly portInput;
  readonly startButton;
  readonly stopButton;
  /** While running: the port it listens on (the one picked when started on 0). */
  readonly port;
  /** While running: the SHA-256 of its TLS certificate, colon-grouped uppercase hex. */
  readonly fingerprint;
  readonly callsTable;
  /** The operation of each listed call, newest first. */
  readonly callOperations;
  /** SUCCESS or the error code of each listed call, newest first. */
  readonly callOutcomes;

  constructor(readonly page: Page) {
    this.state = page.getByTestId('endpoint-state');
    this.addressInput = page.getByTestId('endpoint-address-input');
    this.portInput = page.getByTestId('endpoint-port-input');
    this.startButton = page.getByTestId('endpoint-start');
    this.stopButton = page.getByTestId('endpoint-stop');
    this.port = page.getByTestId('endpoint-port');
    this.fingerprint = page.getByTestId('endpoint-fingerprint');
    this.callsTable = page.getByTestId('application-calls-table');
    this.callOperations = page.getByTestId('application-call-operation');
    this.callOutcomes = page.getByTestId('application-call-outcome');
  }

  /** Starts the endpoint on this address and port (0: a free one); resolves with the port it listens on once RUNNING. */
  async start(address: string, port: number): Promise<number> {
    await this.addressInput.fill(address);
    await this.portInput.fill(String(port));
    await this.startButton.click();
    // The endpoint's certificate is issued by the instance CA at each start.
    await expect(this.state).toHaveText('RUNNING', { timeout: 60_000 });
    return Number(((await this.port.textContent()) ?? '').trim());
  }

  /** Reads the endpoint's state and latest calls now (the card polls only every few seconds). */
  async refresh(): Promise<void> {
    await this.page.getByTestId('endpoint-refresh').click();
  }

  /** Stops the endpoint after its confirmation; waits until it shows STOPPED. */
  async stop(): Promise<void> {
    await this.stopButton.click();
    await confirmWith(this.page, 'Stop endpoint');
    await expect(this.state).toHaveText('STOPPED');
  }
}

/**
 * The Access points page: its tabs (access points, policies, network rules, endpoint), the three
 * lists with their create/edit dialogs and deletion, an access point's client keys (create, list,
 * revoke) and the application endpoint card.
 */
export class AccessPointsPage {
  readonly tabs;
  readonly networkRules;
  readonly policies;
  readonly accessPoints;
  readonly networkRuleDialog;
  readonly policyDialog;
  readonly accessPointDialog;
  readonly clientKeyDialog;
  readonly endpoint;
  /** The confirmation dialog open now (deletion, revocation, stopping the endpoint). */
  readonly confirmation;
  /** The console's error notifications: data-code is the refusal's error code. */
  readonly errorNotification;

  constructor(readonly page: Page) {
    this.tabs = page.getByTestId('access-tabs');
    this.networkRules = new AccessList({
      count: page.getByTestId('network-rules-count'),
      table: page.getByTestId('network-rules-table'),
      empty: page.getByTestId('network-rules-empty'),
      createButton: page.getByTestId('create-network-rule'),
      nameCells: page.getByTestId('network-rule-name'),
      editButtons: page.getByTestId('network-rule-edit'),
      deleteButtons: page.getByTestId('network-rule-delete'),
    });
    this.policies = new AccessList({
      count: page.getByTestId('policies-count'),
      table: page.getByTestId('policies-table'),
      empty: page.getByTestId('policies-empty'),
      createButton: page.getByTestId('create-policy'),
      nameCells: page.getByTestId('policy-name'),
      editButtons: page.getByTestId('policy-edit'),
      deleteButtons: page.getByTestId('policy-delete'),
    });
    this.accessPoints = new AccessList({
      count: page.getByTestId('access-points-count'),
      table: page.getByTestId('access-points-table'),
      empty: page.getByTestId('access-points-empty'),
      createButton: page.getByTestId('create-access-point'),
      nameCells: page.getByTestId('access-point-name'),
      editButtons: page.getByTestId('access-point-edit'),
      deleteButtons: page.getByTestId('access-point-delete'),
    });
    this.networkRuleDialog = new NetworkRuleDialog(page);
    this.policyDialog = new PolicyDialog(page);
    this.accessPointDialog = new AccessPointDialog(page);
    this.clientKeyDialog = new CreateClientKeyDialog(page);
    this.endpoint = new ApplicationEndpointCard(page);
    this.confirmation = confirmation(page);
    this.errorNotification = page.getByTestId('error-notification');
  }

  /** Opens the page from the menu and waits for its tabs. */
  async open(): Promise<void> {
    await this.page.getByTestId('nav-access-points').click();
    await expect(this.tabs).toBeVisible();
  }

  /** Switches to a tab and waits until it is the active one. */
  async openTab(tab: AccessTab): Promise<void> {
    const tabButton = this.page.getByTestId(`access-tab-${tab}`);
    await tabButton.click();
    await expect(tabButton).toHaveClass(/n-tabs-tab--active/);
  }

  /** Clicks the open confirmation's button with this label (its other button is Cancel). */
  confirm(button: string): Promise<void> {
    return confirmWith(this.page, button);
  }

  /** Opens the Network rules tab and its Create dialog. */
  async openCreateNetworkRule(): Promise<NetworkRuleDialog> {
    await this.openTab('network-rules');
    await this.networkRules.createButton.click();
    await expect(this.networkRuleDialog.root).toBeVisible();
    return this.networkRuleDialog;
  }

  /** Creates a network rule through its dialog; waits for its row. */
  async createNetworkRule(fields: NetworkRuleFields & { name: string }): Promise<void> {
    const dialog = await this.openCreateNetworkRule();
    await dialog.fill(fields);
    await dialog.submit();
    await expect(this.networkRules.row(fields.name)).toBeVisible();
  }

  /** Opens the Policies tab and its Create dialog. */
  async openCreatePolicy(): Promise<PolicyDialog> {
    await this.openTab('policies');
    await this.policies.createButton.click();
    await expect(this.policyDialog.root).toBeVisible();
    return this.policyDialog;
  }

  /** Creates a policy through its dialog; waits for its row. */
  async createPolicy(fields: PolicyFields & { name: string }): Promise<void> {
    const dialog = await this.openCreatePolicy();
    await dialog.fill(fields);
    await dialog.submit();
    await expect(this.policies.row(fields.name)).toBeVisible();
  }

  /** Opens the Access points tab and its Create dialog. */
  async openCreateAccessPoint(): Promise<AccessPointDialog> {
    await this.openTab('access-points');
    await this.accessPoints.createButton.click();
    await expect(this.accessPointDialog.root).toBeVisible();
    return this.accessPointDialog;
  }

  /** Creates an access point through its dialog; waits for its row. */
  async createAccessPoint(fields: AccessPointFields & { name: string }): Promise<void> {
    const dialog = await this.openCreateAccessPoint();
    await dialog.fill(fields);
    await dialog.submit();
    await expect(this.accessPoints.row(fields.name)).toBeVisible();
  }

  /** The expanded row of an access point: its client keys and their Create button. */
  clientKeysOf(accessPoint: string): Locator {
    return this.page.getByTestId(`client-keys-${accessPoint}`);
  }

  /** Expands an access point's row (on the Access points tab) to its client keys. */
  async openClientKeys(accessPoint: string): Promise<void> {
    await this.accessPoints.row(accessPoint).locator('.n-data-table-expand-trigger').click();
    await expect(this.clientKeysOf(accessPoint)).toBeVisible();
  }

  /** The listed client key ids of an access point (its row expanded), or of every expanded access point. */
  clientKeyIds(accessPoint?: string): Locator {
    const ids = this.page.getByTestId('client-key-id');
    return accessPoint === undefined ? ids : this.clientKeysOf(accessPoint).locator(ids);
  }

  /** A client key's row in its access point's list, by its id. */
  clientKeyRow(clientKeyId: string): Locator {
    return this.page
      .getByTestId('client-keys-table')
      .locator('tbody tr')
      .filter({ has: this.page.getByTestId('client-key-id').filter({ hasText: new RegExp(`^${escapeRegExp(clientKeyId)}$`) }) });
  }

  /** Opens the Create client key dialog of an access point whose row is expanded. */
  async openCreateClientKey(accessPoint: string): Promise<CreateClientKeyDialog> {
    await this.page.getByTestId(`create-client-key-${accessPoint}`).click();
    await expect(this.clientKeyDialog.root).toBeVisible();
    return this.clientKeyDialog;
  }

  /** Revokes a listed client key after its confirmation; waits until its row is gone. */
  async revokeClientKey(clientKeyId: string): Promise<void> {
    await this.clientKeyRow(clientKeyId).getByTestId('client-key-revoke').click();
    await this.confirm('Revoke');
    await expect(this.clientKeyRow(clientKeyId)).toHaveCount(0);
  }
}
