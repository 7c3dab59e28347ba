import { ref } from 'vue';
import { defineStore } from 'pinia';
import { invoke } from '../api/client';
import { t } from '../i18n';
import '../i18n/areas/ceremonies';
import type {
  Ceremony,
  CeremonyScriptDefinition,
  CeremonyScriptSummary,
  CeremonyStepRecord,
  CeremonySummary,
  CeremonyTranscriptExport,
  Participant,
} from '../lib/ceremonies';
import type { ApprovalProof } from './approvals';

/** What a run of the current step sends: its parameters, and the secrets used for this call only. */
export interface StepRun {
  Input: Record<string, string>;
  Secrets: Record<string, string>;
}

/**
 * Key ceremonies (issue 15): the scripts, the ceremonies, and the one open on the page. Every change
 * answers with the ceremony as recorded, which replaces the shown one.
 */
export const useCeremoniesStore = defineStore('ceremonies', () => {
  const scripts = ref<CeremonyScriptSummary[]>([]);
  const ceremonies = ref<CeremonySummary[]>([]);
  const ceremony = ref<Ceremony | null>(null);
  /** The script the shown ceremony runs (its own copy, as DescribeCeremony answers it). */
  const script = ref<CeremonyScriptDefinition | null>(null);
  const loading = ref(false);

  async function loadScripts(): Promise<void> {
    scripts.value = (await invoke('ListCeremonyScripts', {})).Scripts;
  }

  async function loadList(): Promise<void> {
    loading.value = true;
    try {
      const [listed] = await Promise.all([invoke('ListCeremonies', {}), loadScripts()]);
      ceremonies.value = listed.Ceremonies;
    } finally {
      loading.value = false;
    }
  }

  /** The script's JSON text as read from the chosen file; Keyward checks it whole. */
  async function importScript(text: string): Promise<CeremonyScriptSummary> {
    const { RequestId: _requestId, ...imported } = await invoke('ImportCeremonyScript', { Script: text });
    await loadScripts();
    return imported;
  }

  async function start(scriptName: string, participants: Participant[]): Promise<string> {
    const started = await invoke('StartCeremony', { ScriptName: scriptName, Participants: participants });
    ceremony.value = started.Ceremony;
    // The ceremony copied the script as listed; DescribeCeremony answers the same copy.
    script.value = scripts.value.find((listed) => listed.Name === scriptName)?.Script ?? null;
    return started.CeremonyId;
  }

  /** Also settles a step a stop of Keyward left RUNNING (from the audit chain). */
  async function open(ceremonyId: string): Promise<void> {
    loading.value = true;
    try {
      const described = await invoke('DescribeCeremony', { CeremonyId: ceremonyId });
      ceremony.value = described.Ceremony;
      script.value = described.Script;
    } finally {
      loading.value = false;
    }
  }

  function shown(ceremonyId: string): string {
    if (ceremony.value?.CeremonyId !== ceremonyId) throw new Error(t('ceremonies.store.notShown'));
    return ceremonyId;
  }

  /** The step comes back with its state: a refused operation is a FAILED step, not an error. */
  async function runStep(ceremonyId: string, stepId: string, values: StepRun): Promise<CeremonyStepRecord> {
    const hasSecrets = Object.keys(values.Secrets).length > 0;
    const result = await invoke('RunCeremonyStep', {
      CeremonyId: shown(ceremonyId),
      StepId: stepId,
      Input: values.Input,
      ...(hasSecrets ? { Secrets: values.Secrets } : {}),
    });
    ceremony.value = result.Ceremony;
    return result.Step;
  }

  async function signOff(ceremonyId: string, stepId: string, officerName: string, proof: ApprovalProof): Promise<void> {
    const result = await invoke('SignOffCeremonyStep', { CeremonyId: shown(ceremonyId), StepId: stepId, OfficerName: officerName, ...proof });
    ceremony.value = result.Ceremony;
  }

  async function recordDeviation(ceremonyId: string, stepId: string, note: string, skipStep: boolean): Promise<void> {
    const result = await invoke('RecordDeviation', { CeremonyId: shown(ceremonyId), StepId: stepId, Note: note, SkipStep: skipStep });
    ceremony.value = result.Ceremony;
  }

  async function complete(ceremonyId: string): Promise<void> {
    ceremony.value = (await invoke('CompleteCeremony', { CeremonyId: shown(ceremonyId) })).Ceremony;
  }

  async function abort(ceremonyId: string, reason: string): Promise<void> {
    ceremony.value = (await invoke('AbortCeremony', { CeremonyId: shown(ceremonyId), Reason: reason })).Ceremony;
  }

  /** The signed transcript, and the fingerprint of the key that signed it (what a witness compares). */
  async function exportTranscript(ceremonyId: string): Promise<CeremonyTranscriptExport> {
    const { RequestId: _requestId, ...exported } = await invoke('ExportCeremonyTranscript', { CeremonyId: ceremonyId });
    const key = await invoke('GetAuditSigningKey', {});
    // The fingerprint shown must be the signing key's: a key rotated in between would mislead the witness.
    if (key.PublicKey !== exported.SigningPublicKey) throw new Error(t('ceremonies.store.signingKeyChanged'));
    return { ...exported, SigningKeySha256: key.Sha256 };
  }

  return { scripts, ceremonies, ceremony, script, loading, loadScripts, loadList, importScript, start, open, runStep, signOff, recordDeviation, complete, abort, exportTranscript };
});
