/** Helpers of the key material import: the wrapping key as PEM, the token's remaining time. */
import { wrappingAlgorithmsFor, type KeySpec, type WrappingAlgorithm } from '../../../shared/contract';
import { currentLocale, t } from '../i18n';
import '../i18n/areas/keyDetail';

/** Catalogue keys of each algorithm's note, translated where the label is built. */
const ALGORITHM_NOTES: Record<WrappingAlgorithm, string> = {
  RSAES_OAEP_SHA_1: 'keyDetail.import.notes.everyToken',
  RSAES_OAEP_SHA_256: 'keyDetail.import.notes.notSoftHsm',
  RSA_AES_KEY_WRAP_SHA_1: 'keyDetail.import.notes.aesKeyWrap',
  RSA_AES_KEY_WRAP_SHA_256: 'keyDetail.import.notes.notSoftHsm',
};

// A type, not an interface: Naive UI's option type needs an implicit index signature.
export type WrappingChoice = { label: string; value: WrappingAlgorithm; disabled: boolean };

/**
 * The wrapping algorithms that carry this spec's material (RSAES_* for AES and HMAC keys,
 * RSA_AES_KEY_WRAP_* for key pairs); those the key store's HSMs do not run (`supported`, from
 * DescribeKeyStoreCapabilities; null: not known) are listed but not offered.
 */
export function wrappingAlgorithmChoices(spec: KeySpec, supported: readonly WrappingAlgorithm[] | null): WrappingChoice[] {
  return wrappingAlgorithmsFor(spec).map((value) => {
    const disabled = supported !== null && !supported.includes(value);
    const label = disabled
      ? t('keyDetail.import.notSupported', { algorithm: value })
      : t('keyDetail.import.choice', { algorithm: value, note: t(ALGORITHM_NOTES[value]) });
    return { label, value, disabled };
  });
}

/** base64 DER → PEM with 64-character lines. */
export function derBase64ToPem(base64: string, label = 'PUBLIC KEY'): string {
  const compact = base64.replace(/\s+/g, '');
  const lines = compact.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** "23 h 59 min" / "4 min" / "expired" until an ISO time. */
export function timeLeft(expireIso: string, nowMs: number): { expired: boolean; text: string } {
  const end = Date.parse(expireIso);
  if (Number.isNaN(end)) return { expired: false, text: t('keyDetail.import.timeLeft.unknown') };
  const minutes = Math.floor((end - nowMs) / 60_000);
  if (end <= nowMs) return { expired: true, text: t('keyDetail.import.timeLeft.expired') };
  if (minutes < 1) return { expired: false, text: t('keyDetail.import.timeLeft.lessThanMinute') };
  const hours = Math.floor(minutes / 60);
  return {
    expired: false,
    text:
      hours > 0
        ? t('keyDetail.import.timeLeft.hoursMinutes', { hours: hours.toLocaleString(currentLocale()), minutes: minutes % 60 })
        : t('keyDetail.import.timeLeft.minutes', { minutes }),
  };
}

/**
 * The openssl commands that wrap the material for this import (shown to the officer): raw secret
 * key material under RSA-OAEP (RSAES_*); or, for a key pair (RSA_AES_KEY_WRAP_*), the PKCS#8 private
 * key under a fresh AES-256 key with AES key wrap with padding, and that AES key under RSA-OAEP,
 * concatenated in this order (the README's recipe).
 */
export function wrapCommand(algorithm: WrappingAlgorithm): string {
  const md = algorithm.endsWith('_SHA_1') ? 'sha1' : 'sha256';
  const oaep = `-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:${md} -pkeyopt rsa_mgf1_md:${md}`;
  if (algorithm.startsWith('RSAES_')) {
    return ['openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in key-material.bin \\', `  ${oaep} | base64 -w0`].join('\n');
  }
  return [
    'openssl pkcs8 -topk8 -nocrypt -in private.pem -outform DER -out private.der',
    'openssl rand -out aes.key 32',
    `openssl enc -id-aes256-wrap-pad -iv A65959A6 -K "$(od -An -v -tx1 aes.key | tr -d ' \\n')" -in private.der -out private.wrapped`,
    'openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in aes.key -out aes.wrapped \\',
    `  ${oaep}`,
    'cat aes.wrapped private.wrapped | base64 -w0; rm aes.key',
  ].join('\n');
}
