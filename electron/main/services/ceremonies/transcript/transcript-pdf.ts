/**
 * The transcript's printable form: a title page with the participants, one block per step with
 * what ran, its outputs, sign-offs and blank lines for the witnesses' handwritten signatures, and a
 * page on how to verify the signed files. Rendered from the transcript alone, so the PDF can be
 * rendered again from the signed JSON and compared byte for byte.
 */
import type { CeremonyStep, CeremonyTranscript } from '../../../../../shared/contract';
import { PdfWriter, type TextStyle } from './pdf-writer';

type StepRecord = CeremonyTranscript['Ceremony']['Steps'][number];

const LABEL_WIDTH = 118;
const MONO: TextStyle = { font: 'Courier', size: 8 };

function heading(pdf: PdfWriter, text: string, size = 13): void {
  pdf.keepTogether(size * 6);
  pdf.text(text, { font: 'Helvetica-Bold', size, spaceBefore: size * 0.8 });
  pdf.rule(2);
}

/** A label in gray and its value beside it (wrapped in the value column). */
function field(pdf: PdfWriter, label: string, value: string, mono = false): void {
  pdf.keepTogether(14);
  const style: TextStyle = mono ? { ...MONO, size: 8.5, indent: LABEL_WIDTH, spaceBefore: 1 } : { size: 9.5, indent: LABEL_WIDTH, spaceBefore: 1 };
  pdf.labelled(label, { size: 9, gray: 0.35 }, value === '' ? '-' : value, style);
}

function titlePage(pdf: PdfWriter, transcript: CeremonyTranscript): void {
  const { Ceremony: ceremony, Script: script } = transcript;
  pdf.text('KEY CEREMONY TRANSCRIPT', { font: 'Helvetica-Bold', size: 10, gray: 0.4 });
  pdf.text(ceremony.ScriptTitle, { font: 'Helvetica-Bold', size: 20, spaceBefore: 6 });
  pdf.rule(6);
  pdf.space(4);
  field(pdf, 'Ceremony', ceremony.CeremonyId, true);
  field(pdf, 'State', ceremony.State);
  field(pdf, 'Started', ceremony.StartedAt);
  field(pdf, 'Ended', ceremony.EndedAt ?? 'not ended');
  field(pdf, 'Started by', ceremony.StartedBy);
  field(pdf, 'Script', ceremony.ScriptName);
  field(pdf, 'Script SHA-256', ceremony.ScriptSha256, true);
  field(pdf, 'Steps', stepSummary(ceremony.Steps));
  if (ceremony.CurrentStepId !== null) field(pdf, 'Next step', ceremony.CurrentStepId);
  if (script.Description !== '') {
    pdf.text(script.Description, { size: 9.5, spaceBefore: 10 });
  }

  heading(pdf, 'Participants');
  for (const participant of ceremony.Participants) {
    pdf.keepTogether(30);
    pdf.text(`${participant.OfficerName}  (${participant.Role})`, { font: 'Helvetica-Bold', size: 10, spaceBefore: 4 });
    pdf.text(`Approval key SHA-256: ${participant.PublicKeyFingerprint}`, MONO);
  }
  heading(pdf, 'Roles the script requires');
  for (const role of script.Roles) pdf.text(`${role.Role}: at least ${role.Count}`, { size: 9.5 });
}

function stepSummary(steps: readonly StepRecord[]): string {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.State, (counts.get(step.State) ?? 0) + 1);
  return `${steps.length} (${[...counts].map(([state, count]) => `${count} ${state}`).join(', ')})`;
}

function stepBlock(pdf: PdfWriter, step: StepRecord, index: number, total: number, scriptStep: CeremonyStep | undefined, witnesses: readonly string[]): void {
  pdf.keepTogether(140);
  pdf.text(`Step ${index + 1} of ${total}  ·  ${step.StepId}`, { size: 9, gray: 0.4, spaceBefore: 16 });
  pdf.text(step.Title, { font: 'Helvetica-Bold', size: 13 });
  pdf.rule(2);
  if (scriptStep) pdf.text(scriptStep.Instructions, { size: 9.5, spaceBefore: 2, gray: 0.15 });
  pdf.space(4);
  field(pdf, 'State', step.State);
  field(pdf, 'Operation', step.Operation ?? 'none (confirmed by the people present)');
  if (step.StartedAt !== null) field(pdf, 'Started', step.StartedAt);
  if (step.FinishedAt !== null) field(pdf, 'Finished', step.FinishedAt);
  if (step.RunBy !== null) field(pdf, 'Run by', step.RunBy);
  if (step.Attempts > 1) field(pdf, 'Attempts', String(step.Attempts));
  if (step.AuditSequence !== null) field(pdf, 'Audit record', `#${step.AuditSequence}`);
  if (step.ApprovalRequestId !== null) field(pdf, 'Approval request', step.ApprovalRequestId, true);
  if (step.ErrorCode !== null) field(pdf, 'Error', `${step.ErrorCode}${step.ErrorMessage ? `: ${step.ErrorMessage}` : ''}`);
  if (step.Recovered !== null) field(pdf, 'Settled after restart', step.Recovered);
  if (step.Input !== null) {
    pdf.text('Input (secret fields left out)', { size: 9, gray: 0.35, spaceBefore: 4 });
    pdf.text(JSON.stringify(step.Input, null, 2), { ...MONO, indent: 12 });
  }
  if (step.Outputs.length > 0) {
    pdf.text('Outputs', { size: 9, gray: 0.35, spaceBefore: 4 });
    for (const output of step.Outputs) {
      const label = output.Kind === 'SHA256' ? `${output.Name} (SHA-256)` : output.Name;
      pdf.text(`${label}: ${output.Value === '' ? '(not recorded)' : output.Value}`, { ...MONO, indent: 12 });
    }
  }
  if (step.SignOffDigest !== null) {
    pdf.space(4);
    field(pdf, 'Sign-off digest', step.SignOffDigest, true);
  }
  signOffs(pdf, step, scriptStep?.WitnessSignOffs ?? 0, witnesses);
  for (const deviation of step.Deviations) {
    pdf.keepTogether(30);
    pdf.text(`Deviation recorded by ${deviation.RecordedBy} at ${deviation.RecordedAt}`, { font: 'Helvetica-Bold', size: 9, spaceBefore: 8 });
    pdf.text(deviation.Note, { size: 9.5, indent: 12 });
  }
}

/** The recorded sign-offs, then one handwritten signature line per witness the step requires. */
function signOffs(pdf: PdfWriter, step: StepRecord, required: number, witnesses: readonly string[]): void {
  // A skipped step was not done: there is nothing for a witness to sign.
  if (step.SignOffs.length === 0 && (required === 0 || step.State === 'SKIPPED')) return;
  pdf.text(`Witness sign-offs (${step.SignOffs.length} of ${required} required)`, { size: 9, gray: 0.35, spaceBefore: 4 });
  for (const signOff of step.SignOffs) {
    pdf.text(`${signOff.OfficerName} signed off at ${signOff.SignedAt}`, { size: 9.5, indent: 12 });
    pdf.text(`signature ${signOff.Signature}`, { ...MONO, size: 7, indent: 24, gray: 0.3 });
  }
  const signers = step.SignOffs.map((signOff) => signOff.OfficerName);
  const unnamed = witnesses.filter((name) => !signers.includes(name));
  const lines = [...signers, ...unnamed].slice(0, Math.max(required, signers.length));
  for (const [index, name] of lines.entries()) {
    pdf.keepTogether(26);
    pdf.text(`Signed: ______________________________  (${index < signers.length ? name : `${name} or another witness`})`, { size: 10, indent: 12, spaceBefore: 12 });
  }
}

function verificationPage(pdf: PdfWriter, transcript: CeremonyTranscript): void {
  const range = transcript.AuditRange;
  pdf.pageBreak();
  pdf.text('Verifying this transcript', { font: 'Helvetica-Bold', size: 16 });
  pdf.rule(4);
  pdf.text(
    'The transcript is two files signed by the Keyward audit signing key, a key pair made and kept inside the HSM: transcript.json (what is recorded) ' +
      'and transcript.pdf (this document, rendered from exactly that JSON). Each has a DER ECDSA-SHA256 signature. VerifyCeremonyTranscript checks both ' +
      'and that the PDF is the one rendered from the JSON; openssl alone checks the signatures.',
    { size: 9.5, spaceBefore: 4 },
  );
  pdf.space(6);
  field(pdf, 'Signing key SHA-256', transcript.SigningKeySha256, true);
  field(pdf, 'Audit records', `#${range.FromSequence} to #${range.ToSequence}`);
  field(pdf, `Hash of #${range.FromSequence}`, range.FromHash, true);
  field(pdf, `Hash of #${range.ToSequence}`, range.ToHash, true);

  heading(pdf, '1. Rebuild the files from the export', 11);
  pdf.text('From the ExportCeremonyTranscript result saved as export.json (Json is text; Pdf and the signatures are base64):', { size: 9.5 });
  const rebuild = [
    "jq -j .Json export.json > transcript.json",
    "jq -j .SigningPublicKey export.json > signing-key.pem",
    "jq -r .Signature export.json | base64 -d > transcript.sig",
    "jq -r .Pdf export.json | base64 -d > transcript.pdf",
    "jq -r .PdfSignature export.json | base64 -d > transcript.pdf.sig",
  ];
  pdf.text(rebuild.join('\n'), { ...MONO, size: 8.5, indent: 12, spaceBefore: 4 });
  pdf.text('Without jq: paste each base64 value into a file and decode it, e.g. base64 -d transcript.sig.b64 > transcript.sig.', { size: 9.5, spaceBefore: 4 });

  heading(pdf, '2. Check the signing key', 11);
  pdf.text('This must print the signing key SHA-256 above (compare it with GetAuditSigningKey on the instance, or a copy kept offline):', { size: 9.5 });
  pdf.text('openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum', { ...MONO, size: 8.5, indent: 12, spaceBefore: 4 });

  heading(pdf, '3. Check the signatures', 11);
  pdf.text('Each command must print "Verified OK":', { size: 9.5 });
  const verify = [
    'openssl dgst -sha256 -verify signing-key.pem -signature transcript.sig transcript.json',
    'openssl dgst -sha256 -verify signing-key.pem -signature transcript.pdf.sig transcript.pdf',
  ];
  pdf.text(verify.join('\n'), { ...MONO, size: 8.5, indent: 12, spaceBefore: 4 });

  heading(pdf, '4. Check the audit log', 11);
  pdf.text(
    `A signed audit export (ExportAuditLog) covering records #${range.FromSequence} to #${range.ToSequence} must hold those records with the hashes above; ` +
      'each step names the audit record of its operation.',
    { size: 9.5 },
  );
}

/** The transcript as a PDF: same transcript, same bytes. */
export function renderTranscriptPdf(transcript: CeremonyTranscript): Buffer {
  const { Ceremony: ceremony, Script: script } = transcript;
  const pdf = new PdfWriter();
  titlePage(pdf, transcript);
  pdf.pageBreak();
  pdf.text('Steps', { font: 'Helvetica-Bold', size: 16 });
  const witnesses = ceremony.Participants.filter((participant) => participant.Role === 'WITNESS').map((participant) => participant.OfficerName);
  ceremony.Steps.forEach((step, index) => {
    const scriptStep = script.Steps.find((candidate) => candidate.StepId === step.StepId);
    stepBlock(pdf, step, index, ceremony.Steps.length, scriptStep, witnesses);
  });
  verificationPage(pdf, transcript);
  return pdf.build({
    title: `${ceremony.ScriptTitle} (${ceremony.CeremonyId})`,
    createdAt: ceremony.EndedAt ?? ceremony.StartedAt,
    footer: (page, pages) => `Keyward key ceremony ${ceremony.CeremonyId}  ·  script SHA-256 ${ceremony.ScriptSha256.slice(0, 16)}...  ·  page ${page} of ${pages}`,
  });
}
