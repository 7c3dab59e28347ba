/**
 * The four built-in scripts: each passes validation (as CeremonyScripts does at start-up), can be
 * run by three officers (an administrator and two witnesses), fills with plausible site values
 * into inputs the operations' own contract accepts, keeps secrets in secret fields only, and has
 * witnesses sign off every step that creates or destroys something.
 */
import { describe, expect, it } from 'vitest';
import { contract, isOperationName } from '../../../shared/contract';
import { BUILT_IN_SCRIPTS } from '../../../electron/main/services/ceremonies/built-in-scripts';
import { fillTemplate, type TemplateValues } from '../../../electron/main/services/ceremonies/ceremony-template';
import { validateBuiltInScript } from '../../../electron/main/services/ceremonies/script-validation';

const CERTIFICATE = `-----BEGIN CERTIFICATE-----\n${'MIIB'.repeat(20)}\n-----END CERTIFICATE-----\n`;

/** What a site would type at each parameter. */
const SITE_VALUES: Record<string, string> = {
  ClusterName: 'Vault A cluster',
  ClusterDescription: 'Root of trust, ceremony 2026-12',
  ModuleId: 'mod-0001',
  TokenSerial: '0123456789abcdef',
  Zone: 'zone-a',
  KeyStoreName: 'vault-a-store',
  KeyStoreId: 'ks-0001',
  KeySpec: 'EC_P256',
  KeyUsage: 'ENCRYPT/DECRYPT',
  KeyDescription: 'Root signing key',
  Alias: 'alias/root-2026',
  WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
  EncryptedKeyMaterial: Buffer.alloc(256, 7).toString('base64'),
  KeyId: 'key-0001',
  PendingWindowInDays: '30',
};
const SECRET_VALUES: Record<string, string> = { SoPin: 'So-Pin-4711', KmsuserPassword: 'Kmsuser2026pw' };

function sampleOutput(name: string): string {
  if (name === 'OwnerCertificate') return CERTIFICATE;
  if (name === 'ImportToken') return 'tok_0123456789abcdef';
  return `${name.toLowerCase()}-0001`;
}

/** Sample values for every parameter and every earlier VALUE output of a script's steps. */
function valuesFor(steps: (typeof BUILT_IN_SCRIPTS)[number]['Steps']): TemplateValues {
  const outputs: TemplateValues['outputs'] = {};
  for (const step of steps) outputs[step.StepId] = Object.fromEntries((step.Outputs ?? []).map((output) => [output.Name, sampleOutput(output.Name)]));
  return { parameters: SITE_VALUES, secrets: SECRET_VALUES, outputs };
}

function builtIn(name: string) {
  const source = BUILT_IN_SCRIPTS.find((script) => script.Name === name);
  if (!source) throw new Error(`no built-in script ${name}`);
  return validateBuiltInScript(source).script;
}

const CREATES_OR_DESTROYS = new Set(['CreateKey', 'InitializeCluster', 'ImportKeyMaterial', 'ScheduleKeyDeletion', 'CreateCryptoUser', 'CreateKeyStore']);

describe('built-in ceremony scripts', () => {
  it('are the four of the issue, in order', () => {
    expect(BUILT_IN_SCRIPTS.map((script) => script.Name)).toEqual(['hsm-cluster-key-store', 'root-signing-key', 'byok-import', 'key-destruction']);
  });

  describe.each(BUILT_IN_SCRIPTS.map((script) => [script.Name, script] as const))('%s', (_name, source) => {
    const { script, sha256 } = validateBuiltInScript(source);

    it('validates, with a stable hash', () => {
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(validateBuiltInScript(source).sha256).toBe(sha256);
    });

    it('needs one administrator and two witnesses: three officers run it', () => {
      expect(script.Roles).toEqual([
        { Role: 'CEREMONY_ADMINISTRATOR', Count: 1 },
        { Role: 'WITNESS', Count: 2 },
      ]);
    });

    it('gives every step instructions and has witnesses sign off every step that creates or destroys something', () => {
      for (const step of script.Steps) {
        expect(step.Instructions.length, step.StepId).toBeGreaterThan(40);
        if (step.Operation && CREATES_OR_DESTROYS.has(step.Operation)) expect(step.WitnessSignOffs, step.StepId).toBeGreaterThanOrEqual(1);
      }
      expect(script.Steps[0]?.Operation).toBeUndefined();
      expect(script.Steps.at(-1)?.Operation).toBeUndefined();
    });

    it('fills, with site values, into inputs the operations accept, secrets only where they are not recorded', () => {
      const values = valuesFor(source.Steps);
      for (const step of script.Steps) {
        if (!step.Operation) continue;
        expect(isOperationName(step.Operation)).toBe(true);
        if (!isOperationName(step.Operation)) continue;
        const { input, recorded } = fillTemplate(step, values);
        const parsed = contract[step.Operation].input.safeParse(input);
        expect(parsed.error?.issues, `${step.StepId}: ${step.Operation}`).toBeUndefined();
        for (const secret of Object.values(SECRET_VALUES)) expect(JSON.stringify(recorded), step.StepId).not.toContain(secret);
        for (const field of contract[step.Operation].secretFields) expect(recorded, step.StepId).not.toHaveProperty(field);
      }
    });
  });

  it('runs the cluster set-up in the order of the console’s wizard and the seeds', () => {
    const cluster = builtIn('hsm-cluster-key-store');
    expect(cluster.Steps.flatMap((step) => (step.Operation ? [step.Operation] : []))).toEqual([
      'CreateCluster',
      'CreateHsm',
      'CreateHsm',
      'DescribeCluster',
      'InitializeCluster',
      'GetClusterCertificate',
      'CreateCryptoUser',
      'ActivateCluster',
      'CreateKeyStore',
      'ConnectKeyStore',
    ]);
  });

  it('records the root key’s id as a value and its public key PEM as a fingerprint', () => {
    const root = builtIn('root-signing-key');
    const read = root.Steps.find((step) => step.Operation === 'GetPublicKey');
    expect(read?.Outputs).toEqual(
      expect.arrayContaining([
        { Name: 'KeyId', From: 'KeyId', Kind: 'VALUE' },
        { Name: 'PublicKeySha256', From: 'PublicKey', Kind: 'SHA256' },
      ]),
    );
  });
});
