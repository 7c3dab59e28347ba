import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../../../shared/contract';
import { useCryptoStore } from '../../../../renderer/src/stores/crypto';
import { fakeHost, stub } from '../support/fake-host';

const HELLO = 'aGVsbG8='; // base64 of "hello"
const HELLO_SHA256 = 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=';

function cryptoHost() {
  return fakeHost({
    Encrypt: () => stub<OperationResult<'Encrypt'>>({ CiphertextBlob: 'CIPHER' }),
    // Answers with bytes that are not UTF-8 when the blob asks for them.
    Decrypt: (input) => stub<OperationResult<'Decrypt'>>({ Plaintext: input.CiphertextBlob === 'BINARY' ? '/w==' : HELLO }),
    AsymmetricSign: () => stub<OperationResult<'AsymmetricSign'>>({ Value: 'SIG' }),
    AsymmetricVerify: (input) => stub<OperationResult<'AsymmetricVerify'>>({ Value: input.Value === 'SIG' }),
    GenerateDataKey: () => stub<OperationResult<'GenerateDataKey'>>({ Plaintext: 'PLAIN', CiphertextBlob: 'WRAPPED', KeyVersionId: 'v1' }),
    GenerateDataKeyWithoutPlaintext: () => stub<OperationResult<'GenerateDataKeyWithoutPlaintext'>>({ CiphertextBlob: 'WRAPPED', KeyVersionId: 'v1' }),
    AsymmetricEncrypt: () => stub<OperationResult<'AsymmetricEncrypt'>>({ CiphertextBlob: 'ACIPHER' }),
    AsymmetricDecrypt: () => stub<OperationResult<'AsymmetricDecrypt'>>({ Plaintext: HELLO }),
    GenerateMac: () => stub<OperationResult<'GenerateMac'>>({ Mac: 'MAC' }),
    VerifyMac: (input) => stub<OperationResult<'VerifyMac'>>({ MacValid: input.Mac === 'MAC' }),
  });
}

describe('the crypto store', () => {
  it('sends plaintext as base64 and the context lines as EncryptionContext, none when blank', async () => {
    const host = cryptoHost();
    const crypto = useCryptoStore();
    expect(await crypto.encrypt('k1', 'hello', 'purpose = test\n# comment\n\nteam=payments')).toBe('CIPHER');
    await crypto.encrypt('k1', 'hello', '  \n');
    expect(host.inputsOf('Encrypt')).toEqual([
      { KeyId: 'k1', Plaintext: HELLO, EncryptionContext: { purpose: 'test', team: 'payments' } },
      { KeyId: 'k1', Plaintext: HELLO, EncryptionContext: undefined },
    ]);
  });

  it('refuses a malformed context before calling the host', async () => {
    const host = cryptoHost();
    await expect(useCryptoStore().encrypt('k1', 'hello', 'no separator')).rejects.toMatchObject({
      Code: 'InvalidParameter',
      Message: 'EncryptionContext line 1: expected key=value',
    });
    expect(host.operations()).toEqual([]);
  });

  it('decrypts a pasted blob without its whitespace and says when the plaintext is not UTF-8', async () => {
    const host = cryptoHost();
    const crypto = useCryptoStore();
    expect(await crypto.decrypt(' CIP\nHER ', '')).toEqual({ text: 'hello', validUtf8: true });
    expect((await crypto.decrypt('BINARY', '')).validUtf8).toBe(false);
    expect(host.inputsOf('Decrypt')[0]).toEqual({ CiphertextBlob: 'CIPHER', EncryptionContext: undefined });
  });

  it('signs and verifies the SHA-256 digest of the message, but the message itself for Ed25519', async () => {
    const host = cryptoHost();
    const crypto = useCryptoStore();
    expect(await crypto.sign('k1', 'ECDSA_SHA_256', 'hello')).toBe('SIG');
    expect(await crypto.sign('k2', 'ED25519_SHA_512', 'hello')).toBe('SIG');
    expect(await crypto.verify('k1', 'RSA_PSS_SHA_256', 'hello', ' S\nIG ')).toBe(true);
    expect(await crypto.verify('k1', 'RSA_PSS_SHA_256', 'hello', 'OTHER')).toBe(false);
    expect(host.inputsOf('AsymmetricSign')).toEqual([
      { KeyId: 'k1', Algorithm: 'ECDSA_SHA_256', Digest: HELLO_SHA256 },
      { KeyId: 'k2', Algorithm: 'ED25519_SHA_512', Digest: HELLO },
    ]);
    expect(host.inputsOf('AsymmetricVerify')[0]).toEqual({ KeyId: 'k1', Algorithm: 'RSA_PSS_SHA_256', Digest: HELLO_SHA256, Value: 'SIG' });
  });

  it('generates a data key with or without its plaintext', async () => {
    const host = cryptoHost();
    const crypto = useCryptoStore();
    expect(await crypto.generateDataKey('k1', 'AES_256', true, 'a=b')).toEqual({ Plaintext: 'PLAIN', CiphertextBlob: 'WRAPPED', KeyVersionId: 'v1' });
    expect(await crypto.generateDataKey('k1', 'AES_128', false, '')).toEqual({ Plaintext: null, CiphertextBlob: 'WRAPPED', KeyVersionId: 'v1' });
    expect(host.operations()).toEqual(['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext']);
    expect(host.inputsOf('GenerateDataKey')).toEqual([{ KeyId: 'k1', KeySpec: 'AES_256', EncryptionContext: { a: 'b' } }]);
    expect(host.inputsOf('GenerateDataKeyWithoutPlaintext')).toEqual([{ KeyId: 'k1', KeySpec: 'AES_128', EncryptionContext: undefined }]);
  });

  it('sends asymmetric encryption and MACs with base64 messages and compacted blobs', async () => {
    const host = cryptoHost();
    const crypto = useCryptoStore();
    expect(await crypto.asymmetricEncrypt('k1', 'RSAES_OAEP_SHA_256', 'hello')).toBe('ACIPHER');
    expect(await crypto.asymmetricDecrypt('k1', 'RSAES_OAEP_SHA_256', 'AC IPHER')).toEqual({ text: 'hello', validUtf8: true });
    expect(await crypto.generateMac('k3', 'hello')).toBe('MAC');
    expect(await crypto.verifyMac('k3', 'hello', 'M A C')).toBe(true);
    expect(host.calls.map((call) => call.input)).toEqual([
      { KeyId: 'k1', Algorithm: 'RSAES_OAEP_SHA_256', Plaintext: HELLO },
      { KeyId: 'k1', Algorithm: 'RSAES_OAEP_SHA_256', CiphertextBlob: 'ACIPHER' },
      { KeyId: 'k3', Message: HELLO },
      { KeyId: 'k3', Message: HELLO, Mac: 'MAC' },
    ]);
  });
});
