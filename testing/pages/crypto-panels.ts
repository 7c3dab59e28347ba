import { expect, type Page } from '@playwright/test';
import { choose } from '../naive-ui';

/**
 * The panels of a key page's "crypto" tab, one per operation the key allows. Each method clicks as
 * an officer would; results are left to the caller's assertions except where the next step needs them.
 */

/** An encryption context as the panel's field takes it: one `key=value` a line. */
export type EncryptionContext = Record<string, string>;

function contextLines(context: EncryptionContext): string {
  return Object.entries(context)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Encrypt / Decrypt of a symmetric key (the context binds both). */
export class EncryptPanel {
  readonly root;
  readonly context;
  readonly plaintext;
  readonly ciphertext;
  readonly decrypted;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('encrypt-panel');
    this.context = page.getByTestId('encryption-context');
    this.plaintext = page.getByTestId('encrypt-plaintext');
    this.ciphertext = page.getByTestId('ciphertext-output');
    this.decrypted = page.getByTestId('decrypt-output');
  }

  async setContext(context: EncryptionContext): Promise<void> {
    await this.context.fill(contextLines(context));
  }

  /** Encrypts text (under `context` when given) and resolves with the CiphertextBlob shown. */
  async encrypt(plaintext: string, context?: EncryptionContext): Promise<string> {
    if (context) await this.setContext(context);
    await this.plaintext.fill(plaintext);
    await this.page.getByTestId('encrypt-button').click();
    await expect(this.ciphertext).toHaveText(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    return (await this.ciphertext.textContent()) ?? '';
  }

  /** Decrypts the blob the panel shows, under the context in the field now. */
  async decrypt(): Promise<void> {
    await this.page.getByTestId('decrypt-button').click();
  }

  /** Decrypts a blob made elsewhere (another session, before a backup); the caller reads `decrypted`. */
  async decryptBlob(blob: string): Promise<void> {
    await this.page.getByTestId('decrypt-input').fill(blob);
    await this.decrypt();
  }

  /** Encrypt, then decrypt, and expect the text back; resolves with the blob. */
  async roundTrip(plaintext: string, context?: EncryptionContext): Promise<string> {
    const blob = await this.encrypt(plaintext, context);
    await this.decrypt();
    await expect(this.decrypted).toHaveText(plaintext);
    return blob;
  }
}

/** Sign / Verify of a SIGN/VERIFY key. */
export class SignPanel {
  readonly message;
  readonly signature;
  /** The verdict: `data-valid` is "true" or "false". */
  readonly verdict;

  constructor(readonly page: Page) {
    this.message = page.getByTestId('sign-message');
    this.signature = page.getByTestId('signature-output');
    this.verdict = page.getByTestId('verify-result');
  }

  chooseAlgorithm(algorithm: string): Promise<void> {
    return choose(this.page, 'sign-algorithm', algorithm);
  }

  async sign(message: string): Promise<void> {
    await this.message.fill(message);
    await this.page.getByTestId('sign-button').click();
  }

  /** Verifies the signature shown over the message in the field now. */
  async verify(): Promise<void> {
    await this.page.getByTestId('verify-button').click();
  }
}

/** Generate / Verify MAC of an HMAC key. */
export class MacPanel {
  readonly message;
  readonly mac;
  readonly verdict;

  constructor(readonly page: Page) {
    this.message = page.getByTestId('mac-message');
    this.mac = page.getByTestId('mac-output');
    this.verdict = page.getByTestId('mac-result');
  }

  async generate(message: string): Promise<void> {
    await this.message.fill(message);
    await this.page.getByTestId('mac-generate').click();
  }

  async verify(): Promise<void> {
    await this.page.getByTestId('mac-verify').click();
  }
}

/** Encrypt / Decrypt of an RSA ENCRYPT/DECRYPT key. */
export class AsymmetricEncryptPanel {
  readonly plaintext;
  readonly ciphertext;
  readonly decrypted;

  constructor(readonly page: Page) {
    this.plaintext = page.getByTestId('asym-plaintext');
    this.ciphertext = page.getByTestId('asym-ciphertext');
    this.decrypted = page.getByTestId('asym-plaintext-output');
  }

  async encrypt(plaintext: string): Promise<void> {
    await this.plaintext.fill(plaintext);
    await this.page.getByTestId('asym-encrypt').click();
  }

  async decrypt(): Promise<void> {
    await this.page.getByTestId('asym-decrypt').click();
  }
}

/** GenerateDataKey of a symmetric key. */
export class DataKeyPanel {
  readonly plaintext;
  readonly ciphertext;

  constructor(readonly page: Page) {
    this.plaintext = page.getByTestId('data-key-plaintext');
    this.ciphertext = page.getByTestId('data-key-ciphertext');
  }

  async generate(): Promise<void> {
    await this.page.getByTestId('data-key-generate').click();
  }
}
