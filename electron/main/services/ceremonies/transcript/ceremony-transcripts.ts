/**
 * Signed ceremony transcripts: the JSON record and the PDF rendered from it, each signed inside the
 * HSM by the audit signing key (DER ECDSA-SHA256, what `openssl dgst -sha256 -verify` checks), and
 * the offline check of both. The export is audited.
 */
import { createHash } from 'node:crypto';
import type { Ceremony, CeremonyScript, OperationResult, ParsedInput } from '../../../../../shared/contract';
import { KmsError } from '../../../../../shared/errors';
import type { AuditSigningKey } from '../../audit/audit-signing-key';
import type { AuditTrail } from '../../audit/audit-trail';
import { checkDerSignature, parseSigningPublicKey } from '../../audit/signature-check';
import type { RequestContext } from '../../request-context';
import type { ServiceContext } from '../../service-context';
import { buildTranscript, parseTranscript, transcriptJson } from './transcript-json';
import { renderTranscriptPdf } from './transcript-pdf';

export interface CeremonyAuditRange {
  fromSequence: number;
  toSequence: number;
}

const NO_SIGNING_KEY =
  'This instance knows no audit signing key: none was made yet, or the default key store is not connected and none is cached. Give SigningPublicKey, or connect the default key store.';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export class CeremonyTranscripts {
  constructor(
    private readonly context: ServiceContext,
    private readonly signingKey: AuditSigningKey,
    private readonly audit: AuditTrail,
  ) {}

  async export(ceremony: Ceremony, script: CeremonyScript, range: CeremonyAuditRange, request: RequestContext): Promise<OperationResult<'ExportCeremonyTranscript'>> {
    // The key is made (or found) first: the transcript names it, so the JSON signed is final.
    const key = await this.signingKey.describe(request);
    const transcript = buildTranscript(this.context, ceremony, script, range, key.sha256);
    const json = transcriptJson(transcript);
    const jsonBytes = Buffer.from(json, 'utf8');
    // Rendered from the JSON as written, exactly as verify() renders it again.
    const parsed = parseTranscript(json);
    if (parsed.transcript === null) throw new KmsError('InternalFailure', `The transcript built for ${ceremony.CeremonyId} does not read back: ${parsed.reason}.`);
    const pdf = renderTranscriptPdf(parsed.transcript);
    const jsonSigned = await this.signingKey.sign(jsonBytes, request);
    const pdfSigned = await this.signingKey.sign(pdf, request);

    this.audit.recordEvent(request, {
      operation: 'ExportCeremonyTranscript',
      resourceId: ceremony.CeremonyId,
      details: { CeremonyId: ceremony.CeremonyId, JsonSha256: sha256(jsonBytes), PdfSha256: sha256(pdf), SigningKeySha256: jsonSigned.key.sha256 },
    });
    return {
      Json: json,
      Pdf: pdf.toString('base64'),
      Signature: jsonSigned.signatureDer.toString('base64'),
      PdfSignature: pdfSigned.signatureDer.toString('base64'),
      SigningPublicKey: jsonSigned.key.publicKeyPem,
    };
  }

  async verify(input: ParsedInput<'VerifyCeremonyTranscript'>): Promise<OperationResult<'VerifyCeremonyTranscript'>> {
    if (input.Pdf !== undefined && input.PdfSignature === undefined) throw new KmsError('MissingParameter', 'PdfSignature is required with Pdf.');
    const pem = input.SigningPublicKey ?? (await this.signingKey.publicKeyPem());
    if (pem === null) throw new KmsError('Forbidden.KeyStoreState', NO_SIGNING_KEY);
    const key = parseSigningPublicKey(pem);

    const reasons: string[] = [];
    const parsed = parseTranscript(input.Json);
    if (parsed.reason !== null) reasons.push(parsed.reason);
    const signature = checkDerSignature(Buffer.from(input.Json, 'utf8'), input.Signature, key);
    if (!signature.valid) reasons.push(signature.reason === 'not base64' ? 'the signature is not base64' : 'the signature does not match the JSON and the signing key');

    let pdfValid: boolean | null = null;
    if (input.Pdf !== undefined && input.PdfSignature !== undefined) {
      const pdf = Buffer.from(input.Pdf, 'base64');
      const pdfSignature = checkDerSignature(pdf, input.PdfSignature, key);
      if (!pdfSignature.valid) reasons.push(pdfSignature.reason === 'not base64' ? 'the PDF signature is not base64' : 'the PDF signature does not match the PDF and the signing key');
      // Only a transcript that parses can be rendered again; without one the PDF cannot be shown to match.
      const rendered = parsed.transcript === null ? null : renderTranscriptPdf(parsed.transcript);
      const sameBytes = rendered !== null && rendered.equals(pdf);
      if (rendered !== null && !sameBytes) reasons.push('the PDF is not the one rendered from this JSON');
      pdfValid = pdfSignature.valid && sameBytes;
    }
    const signatureValid = signature.valid;
    return {
      Valid: signatureValid && parsed.transcript !== null && pdfValid !== false,
      SignatureValid: signatureValid,
      PdfValid: pdfValid,
      CeremonyId: parsed.transcript?.Ceremony.CeremonyId ?? null,
      Reason: reasons.length === 0 ? null : reasons.join('; '),
    };
  }
}
