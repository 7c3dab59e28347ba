import type { OperationHandlers } from '../handlers-type';
import type { ServiceSet } from '../service-set';

type CeremonyOperation =
  | 'ImportCeremonyScript' | 'ListCeremonyScripts' | 'StartCeremony' | 'RunCeremonyStep' | 'SignOffCeremonyStep' | 'RecordDeviation'
  | 'CompleteCeremony' | 'AbortCeremony' | 'DescribeCeremony' | 'ListCeremonies' | 'ExportCeremonyTranscript' | 'VerifyCeremonyTranscript';

/** The key ceremony operations' handlers (scripts, the runner, transcripts). */
export function bindCeremonyHandlers(services: ServiceSet): Pick<OperationHandlers, CeremonyOperation> {
  const { ceremonyScripts, ceremonies, ceremonyTranscripts } = services;
  return {
    ImportCeremonyScript: async (input, request) => ceremonyScripts.import(input, request),
    ListCeremonyScripts: async () => ceremonyScripts.list(),
    StartCeremony: async (input, request) => ceremonies.start(input, request),
    RunCeremonyStep: (input, request) => ceremonies.run(input, request),
    SignOffCeremonyStep: (input, request) => ceremonies.signOff(input, request),
    RecordDeviation: async (input, request) => ceremonies.recordDeviation(input, request),
    CompleteCeremony: async (input, request) => ceremonies.complete(input, request),
    AbortCeremony: async (input, request) => ceremonies.abort(input, request),
    DescribeCeremony: async (input, request) => ceremonies.describe(input, request),
    ListCeremonies: async (input) => ceremonies.list(input),
    ExportCeremonyTranscript: async (input, request) => {
      const { ceremony, script, range } = ceremonies.transcriptSource(input.CeremonyId, request);
      return ceremonyTranscripts.export(ceremony, script, range, request);
    },
    VerifyCeremonyTranscript: (input) => ceremonyTranscripts.verify(input),
  };
}
