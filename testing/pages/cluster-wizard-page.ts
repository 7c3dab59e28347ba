import { expect, type Page } from '@playwright/test';
import { addHsm } from './add-hsm-form';

/** The wizard's steps, as its panel's `data-step` names them, in order. */
export type WizardStep = 'module' | 'cluster' | 'hsms' | 'initialize' | 'activate' | 'crypto-user' | 'key-store' | 'connect' | 'first-key' | 'done';

export interface ClusterOptions {
  name: string;
  description?: string;
  /** A lab cluster: a single HSM allowed, marked LAB everywhere. */
  lab?: boolean;
}

/**
 * The cluster set-up wizard (Clusters → Set up). The wizard resumes from the host's state, so each
 * action waits for the step it leads to; steps on the HSMs get the longer waits they need.
 */
export class ClusterWizardPage {
  readonly panel;
  /** "Step N of 9", "All 9 steps done". */
  readonly progress;
  readonly modules;
  readonly hsmItems;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('wizard-panel');
    this.progress = page.getByTestId('wizard-progress');
    this.modules = page.getByTestId('wizard-modules');
    this.hsmItems = page.getByTestId('hsm-item');
  }

  /** Clusters page → Set up a cluster. */
  async start(): Promise<void> {
    await this.page.getByTestId('nav-clusters').click();
    await this.page.getByTestId('cluster-setup-start').click();
  }

  async expectStep(step: WizardStep, timeout = 30_000): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-step', step, { timeout });
  }

  /** The step shown now. */
  async currentStep(): Promise<WizardStep> {
    return (await this.panel.getAttribute('data-step')) as WizardStep;
  }

  /** From the modules step (registered modules listed) on to the cluster step. */
  async continueFromModules(): Promise<void> {
    await this.page.getByTestId('wizard-module-next').click();
    await this.expectStep('cluster');
  }

  async fillCluster(options: ClusterOptions): Promise<void> {
    await this.page.getByTestId('cluster-name').fill(options.name);
    if (options.description !== undefined) await this.page.getByTestId('cluster-description').fill(options.description);
    if (options.lab) await this.page.getByTestId('cluster-lab').click();
  }

  async createCluster(): Promise<void> {
    await this.page.getByTestId('cluster-create').click();
    await this.expectStep('hsms');
  }

  /** Adds the first blank token of a module as a member in `zone`. */
  addHsm(moduleName: string, zone: string, modulePath?: string): Promise<void> {
    return addHsm(this.page, moduleName, zone, modulePath);
  }

  async continueFromHsms(): Promise<void> {
    await this.page.getByTestId('wizard-hsms-next').click();
    await this.expectStep('initialize');
  }

  async fillSoPin(soPin: string, confirmation: string = soPin): Promise<void> {
    await this.page.getByTestId('so-pin').fill(soPin);
    await this.page.getByTestId('so-pin-confirm').fill(confirmation);
  }

  /** Initializes every member token (slow: one C_InitToken per HSM). */
  async initialize(): Promise<void> {
    await this.page.getByTestId('cluster-initialize').click();
    await this.expectStep('activate', 120_000);
  }

  async activate(): Promise<void> {
    await this.page.getByTestId('cluster-activate').click();
    await this.expectStep('crypto-user');
  }

  async fillCryptoUser(password: string, soPin: string): Promise<void> {
    await this.page.getByTestId('kmsuser-password').fill(password);
    await this.page.getByTestId('kmsuser-password-confirm').fill(password);
    await this.page.getByTestId('crypto-user-so-pin').fill(soPin);
  }

  async createCryptoUser(): Promise<void> {
    await this.page.getByTestId('crypto-user-create').click();
    await this.expectStep('key-store', 60_000);
  }

  async fillKeyStore(name: string, password: string): Promise<void> {
    await this.page.getByTestId('keystore-name').fill(name);
    await this.page.getByTestId('keystore-password').fill(password);
  }

  /**
   * Creates the key store; the wizard connects it itself when it can, otherwise it asks for the
   * password (the `connect` step). Resolves with the step reached.
   */
  async createKeyStore(): Promise<'connect' | 'first-key'> {
    await this.page.getByTestId('keystore-create').click();
    await expect(this.panel).toHaveAttribute('data-step', /^(connect|first-key)$/, { timeout: 60_000 });
    return (await this.currentStep()) === 'connect' ? 'connect' : 'first-key';
  }

  /** The connect step: the kmsuser password, then the first key's step. */
  async connect(password: string): Promise<void> {
    await this.page.getByTestId('wizard-connect-password').fill(password);
    await this.page.getByTestId('wizard-connect').click();
    await this.expectStep('first-key', 60_000);
  }

  async createFirstKey(): Promise<void> {
    await this.page.getByTestId('first-key-create').click();
    await this.expectStep('done', 60_000);
  }
}
