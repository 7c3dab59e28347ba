import { expect, type Page } from '@playwright/test';
import { AsymmetricEncryptPanel, DataKeyPanel, EncryptPanel, MacPanel, SignPanel } from './crypto-panels';

/** The tabs of a key's page, as its address (`?tab=`) and test ids (`key-tab-*`) name them. */
export type KeyTab = 'metadata' | 'versions' | 'aliases' | 'tags' | 'public-key' | 'import' | 'crypto';

/** The state changes the key-state picture offers (`key-action-*`). */
export type KeyAction = 'enable' | 'disable' | 'schedule-deletion' | 'cancel-deletion' | 'import-material' | 'delete-material';

/** A key's page: metadata, state and its changes, tabs, and the crypto panels. */
export class KeyDetailPage {
  readonly metadata;
  /** The key state's tag (Enabled, Disabled, PendingDeletion, PendingImport…). */
  readonly state;
  readonly statePicture;
  readonly transitionDialog;
  readonly transitionConsequence;
  readonly pendingWindowDays;
  readonly encryptPanel;
  readonly dataKeyPanel;
  readonly asymmetricPanel;
  readonly signPanel;
  readonly macPanel;

  constructor(readonly page: Page) {
    this.metadata = page.getByTestId('key-detail-metadata');
    this.state = page.getByTestId('key-detail-state');
    this.statePicture = page.getByTestId('key-state-picture');
    this.transitionDialog = page.getByTestId('key-transition-dialog');
    this.transitionConsequence = page.getByTestId('key-transition-consequence');
    this.pendingWindowDays = page.getByTestId('pending-window-days');
    this.encryptPanel = new EncryptPanel(page);
    this.dataKeyPanel = new DataKeyPanel(page);
    this.asymmetricPanel = new AsymmetricEncryptPanel(page);
    this.signPanel = new SignPanel(page);
    this.macPanel = new MacPanel(page);
  }

  /** Opens a key's page by address (a key id or an alias), on one of its tabs. */
  async goto(keyId: string, tab?: KeyTab): Promise<void> {
    const origin = new URL(this.page.url()).origin;
    await this.page.goto(`${origin}/#/keys/${encodeURIComponent(keyId)}${tab ? `?tab=${tab}` : ''}`);
  }

  /** One field of the metadata table, by its contract name (`KeyId`, `KeySpec`, `DeleteDate`…). */
  field(name: string) {
    return this.metadata.locator(`[data-field="${name}"]`);
  }

  async keyId(): Promise<string> {
    const keyId = (await this.field('KeyId').textContent())?.trim() ?? '';
    expect(keyId, 'the key page shows no key id').not.toBe('');
    return keyId;
  }

  tab(tab: KeyTab) {
    return this.page.getByTestId(`key-tab-${tab}`);
  }

  async openTab(tab: KeyTab): Promise<void> {
    await this.tab(tab).click();
    await expect(this.tab(tab)).toHaveClass(/n-tabs-tab--active/);
  }

  /** Starts a state change from the key-state picture; most open a confirmation naming the key. */
  async startTransition(action: KeyAction): Promise<void> {
    await this.page.getByTestId(`key-action-${action}`).click();
  }

  async confirmTransition(): Promise<void> {
    await this.page.getByTestId('key-transition-confirm').click();
  }

  /** Types the waiting period of a scheduled deletion (7-366 days); leaving the field validates it. */
  async setPendingWindow(days: number): Promise<void> {
    await this.pendingWindowDays.fill(String(days));
    await this.pendingWindowDays.blur();
  }

  async disable(): Promise<void> {
    await this.startTransition('disable');
    await this.confirmTransition();
    await expect(this.state).toHaveText('Disabled');
  }

  async enable(): Promise<void> {
    await this.startTransition('enable');
    await expect(this.state).toHaveText('Enabled');
  }

  /** Schedules the key's deletion after `days` and waits for PendingDeletion. */
  async scheduleDeletion(days: number): Promise<void> {
    await this.startTransition('schedule-deletion');
    await this.setPendingWindow(days);
    await this.confirmTransition();
    await expect(this.state).toHaveText('PendingDeletion');
  }

  async cancelDeletion(): Promise<void> {
    await this.startTransition('cancel-deletion');
    await expect(this.state).toHaveText('Enabled');
  }
}
