import { describe, expect, it } from 'vitest';
import type { Ceremony, CeremonyScriptDefinition } from '../../../../renderer/src/lib/ceremonies';
import { useCeremoniesStore } from '../../../../renderer/src/stores/ceremonies';
import { fakeHost, stub } from '../support/fake-host';

const CEREMONY_ID = 'cer-00000000-0000-4000-8000-000000000001';

function ceremonyHost(signingKey = 'PEM-A') {
  const described = stub<Ceremony>({ CeremonyId: CEREMONY_ID, State: 'IN_PROGRESS', Steps: [] });
  const script = stub<CeremonyScriptDefinition>({ Name: 'root-signing-key', Steps: [] });
  const after = stub<Ceremony>({ CeremonyId: CEREMONY_ID, State: 'IN_PROGRESS', CurrentStepId: 'next', Steps: [] });
  return fakeHost({
    DescribeCeremony: () => ({ Ceremony: described, Script: script }),
    ListCeremonyScripts: () => ({ Scripts: [] }),
    RunCeremonyStep: (input) => ({ Ceremony: after, Step: stub<Ceremony['Steps'][number]>({ StepId: input.StepId, State: 'DONE' }) }),
    ExportCeremonyTranscript: () => ({ Json: '{}', Pdf: '', Signature: 'sig', PdfSignature: 'psig', SigningPublicKey: 'PEM-A' }),
    GetAuditSigningKey: () => ({ PublicKey: signingKey, Sha256: 'ab'.repeat(32), KeySpec: 'EC_P256' }),
  });
}

describe('the ceremonies store', () => {
  it('sends secrets only when the step asks for some, and shows the ceremony the run answers with', async () => {
    const host = ceremonyHost();
    const store = useCeremoniesStore();
    await store.open(CEREMONY_ID);
    await store.runStep(CEREMONY_ID, 'prepare', { Input: {}, Secrets: {} });
    await store.runStep(CEREMONY_ID, 'init', { Input: { ClusterId: 'cluster-1' }, Secrets: { SoPin: 'So-Pin-1' } });
    expect(host.inputsOf('RunCeremonyStep')).toEqual([
      { CeremonyId: CEREMONY_ID, StepId: 'prepare', Input: {} },
      { CeremonyId: CEREMONY_ID, StepId: 'init', Input: { ClusterId: 'cluster-1' }, Secrets: { SoPin: 'So-Pin-1' } },
    ]);
    expect(store.ceremony?.CurrentStepId).toBe('next');
    // The ceremony's own copy of its script, whatever the listed scripts say.
    expect(store.script?.Name).toBe('root-signing-key');
    expect(host.operations()).not.toContain('ListCeremonyScripts');
  });

  it('refuses to change a ceremony other than the one shown', async () => {
    const host = ceremonyHost();
    const store = useCeremoniesStore();
    await store.open(CEREMONY_ID);
    await expect(store.complete('cer-00000000-0000-4000-8000-000000000002')).rejects.toThrow('no longer the one shown');
    expect(host.operations()).not.toContain('CompleteCeremony');
  });

  it('names the signing key fingerprint of the key that signed the transcript, and refuses when it changed meanwhile', async () => {
    ceremonyHost();
    expect((await useCeremoniesStore().exportTranscript(CEREMONY_ID)).SigningKeySha256).toBe('ab'.repeat(32));
    ceremonyHost('PEM-B');
    await expect(useCeremoniesStore().exportTranscript(CEREMONY_ID)).rejects.toThrow('changed during the export');
  });
});
