import type { Page } from '@playwright/test';
import { SecretDetailPage, SecretsPage, type CreateSecretOptions } from '../../testing';

/*
 * The suite's shorthands over the kit's Secrets page objects (testing/pages/secrets-page.ts), kept
 * for the specs that call them: the flows themselves live in the kit.
 */
export type SecretOptions = CreateSecretOptions;

/** Opens the Secrets page from the menu and waits for its list. */
export function openSecrets(page: Page): Promise<void> {
  return new SecretsPage(page).open();
}

/** Fills the create dialog's name, description, CMK and tag (the value is the caller's part). */
export function fillSecretMetadata(page: Page, name: string, options: SecretOptions = {}): Promise<void> {
  return new SecretsPage(page).fillCreateDialog(name, options);
}

/** Submits the create dialog and waits for the new secret's page. */
export function submitSecret(page: Page, name: string): Promise<void> {
  return new SecretsPage(page).submitCreate(name);
}

/** Creates a text secret through the dialog and opens its page. */
export function createTextSecret(page: Page, name: string, value: string, options: SecretOptions = {}): Promise<void> {
  return new SecretsPage(page).createTextSecret(name, value, options);
}

/** The version table's row of one version. */
export function versionRow(page: Page, versionId: string) {
  return new SecretDetailPage(page).versionRow(versionId);
}

/** The stages shown on a version's row, in order. */
export function stagesOf(page: Page, versionId: string): Promise<string[]> {
  return new SecretDetailPage(page).stagesOf(versionId);
}
