/**
 * Outputs recorded from an operation's result: values as strings, fingerprints of PEMs over their
 * DER (what `openssl ... -outform DER | sha256sum` prints), and an empty value for a path the
 * result does not have.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ceremonyStepSchema, type CeremonyStep } from '../../../shared/contract';
import { fingerprint, recordOutputs } from '../../../electron/main/services/ceremonies/ceremony-outputs';

function step(Outputs: unknown[]): CeremonyStep {
  return ceremonyStepSchema.parse({ StepId: 'read', Title: 'Read', Instructions: 'Read it.', Operation: 'GetPublicKey', Input: { KeyId: 'k' }, Outputs });
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('recordOutputs', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const der = publicKey.export({ type: 'spki', format: 'der' });

  it('records VALUE outputs as strings, numbers and booleans stringified, array elements by index', () => {
    const result = { KeyMetadata: { KeyId: 'key-1', Enabled: true }, Cluster: { HsmCount: 2, Zones: ['zone-a', 'zone-b'] } };
    const recorded = recordOutputs(
      step([
        { Name: 'KeyId', From: 'KeyMetadata.KeyId' },
        { Name: 'Enabled', From: 'KeyMetadata.Enabled' },
        { Name: 'HsmCount', From: 'Cluster.HsmCount' },
        { Name: 'SecondZone', From: 'Cluster.Zones.1' },
        { Name: 'Zones', From: 'Cluster.Zones' },
      ]),
      result,
    );
    expect(recorded).toEqual([
      { Name: 'KeyId', Kind: 'VALUE', Value: 'key-1' },
      { Name: 'Enabled', Kind: 'VALUE', Value: 'true' },
      { Name: 'HsmCount', Kind: 'VALUE', Value: '2' },
      { Name: 'SecondZone', Kind: 'VALUE', Value: 'zone-b' },
      { Name: 'Zones', Kind: 'VALUE', Value: '["zone-a","zone-b"]' },
    ]);
  });

  it('fingerprints a PEM as the SHA-256 of its DER, and anything else as the SHA-256 of its UTF-8 text', () => {
    const recorded = recordOutputs(
      step([
        { Name: 'PublicKeySha256', From: 'PublicKey', Kind: 'SHA256' },
        { Name: 'TokenSha256', From: 'Token', Kind: 'SHA256' },
      ]),
      { PublicKey: pem, Token: 'plain text é' },
    );
    expect(recorded).toEqual([
      { Name: 'PublicKeySha256', Kind: 'SHA256', Value: sha256(der) },
      { Name: 'TokenSha256', Kind: 'SHA256', Value: sha256(Buffer.from('plain text é', 'utf8')) },
    ]);
    expect(sha256(der)).not.toBe(sha256(pem));
    // CRLF line ends and surrounding text do not change a PEM's fingerprint.
    expect(fingerprint(`note\r\n${pem.replace(/\n/g, '\r\n')}trailer`)).toBe(sha256(der));
  });

  it('records "" for a path the result lacks, never throwing (the operation ran either way)', () => {
    const recorded = recordOutputs(
      step([
        { Name: 'Missing', From: 'KeyMetadata.Nope' },
        { Name: 'MissingFingerprint', From: 'Nothing.Here', Kind: 'SHA256' },
        { Name: 'IndexOnObject', From: 'KeyMetadata.0' },
        { Name: 'NameOnArray', From: 'List.length' },
        { Name: 'Null', From: 'Gone' },
        { Name: 'Inherited', From: 'KeyMetadata.constructor' },
      ]),
      { KeyMetadata: { KeyId: 'k' }, List: [1, 2], Gone: null },
    );
    expect(recorded.map((output) => output.Value)).toEqual(['', '', '', '', '', '']);
    expect(recordOutputs(step([{ Name: 'A', From: 'A' }]), undefined)).toEqual([{ Name: 'A', Kind: 'VALUE', Value: '' }]);
  });
});
