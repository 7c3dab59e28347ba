/**
 * Signed audit exports: a range of the log as JSON Lines, signed inside the HSM by the audit
 * signing key, and the offline check of such an export (signature and hash chain). The export is
 * itself audited, in a record after the exported ones.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { MAX_AUDIT_EXPORT_RECORDS, type OperationResult, type ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { BufferedAuditWriter } from '../../registry';
import type { RequestContext } from '../request-context';
import type { ServiceContext } from '../service-context';
import { checkExportChain, exportLine, toAuditEvent } from './audit-export-format';
import type { AuditSigningKey } from './audit-signing-key';
import type { AuditTrail } from './audit-trail';
import { checkDerSignature, parseSigningPublicKey } from './signature-check';

/** Rows read per query while building an export. */
const READ_CHUNK = 5_000;

const NO_SIGNING_KEY =
  'This instance knows no audit signing key: none was made yet, or the default key store is not connected and none is cached. Give SigningPublicKey, or connect the default key store.';

export class AuditExportService {
  constructor(
    private readonly context: ServiceContext,
    private readonly usageWriter: BufferedAuditWriter,
    private readonly signingKey: AuditSigningKey,
    private readonly audit: AuditTrail,
  ) {}

  async signingKeyOf(request: RequestContext): Promise<OperationResult<'GetAuditSigningKey'>> {
    const key = await this.signingKey.describe(request);
    return { PublicKey: key.publicKeyPem, Sha256: key.sha256, KeySpec: 'EC_P256' };
  }

  async export(input: ParsedInput<'ExportAuditLog'>, request: RequestContext): Promise<OperationResult<'ExportAuditLog'>> {
    // Usage records still in the group-commit queue belong in the log being exported.
    await this.usageWriter.flush();
    const last = this.context.registry.audit.last()?.sequence ?? 0;
    const from = input.FromSequence ?? 1;
    const to = input.ToSequence ?? last;
    if (from > last) throw new KmsError('InvalidParameter', `FromSequence ${from} is after the last audit record (${last}).`);
    const count = to - from + 1;
    if (count > MAX_AUDIT_EXPORT_RECORDS) {
      throw new KmsError('InvalidParameter', `An export holds at most ${MAX_AUDIT_EXPORT_RECORDS} records; records ${from} to ${to} are ${count}: export them in ranges (FromSequence, ToSequence).`);
    }
    if (to > last) throw new KmsError('InvalidParameter', `ToSequence ${to} is after the last audit record (${last}).`);

    const lines: string[] = [];
    for (let next = from; next <= to; next += READ_CHUNK) {
      const rows = this.context.registry.audit.listRange(next, Math.min(READ_CHUNK, to - next + 1));
      for (const row of rows) lines.push(exportLine(toAuditEvent(row)));
    }
    const exported = lines.join('');
    const bytes = Buffer.from(exported, 'utf8');
    const { signatureDer, key } = await this.signingKey.sign(bytes, request);

    this.audit.recordEvent(request, {
      operation: 'ExportAuditLog',
      resourceId: '',
      details: {
        FromSequence: from,
        ToSequence: to,
        RecordCount: lines.length,
        ExportSha256: createHash('sha256').update(bytes).digest('hex'),
        SigningKeySha256: key.sha256,
      },
    });
    return {
      Export: exported,
      Signature: signatureDer.toString('base64'),
      SigningPublicKey: key.publicKeyPem,
      FromSequence: from,
      ToSequence: to,
      RecordCount: lines.length,
    };
  }

  async verify(input: ParsedInput<'VerifyAuditExport'>): Promise<OperationResult<'VerifyAuditExport'>> {
    const pem = input.SigningPublicKey ?? (await this.signingKey.publicKeyPem());
    if (pem === null) throw new KmsError('Forbidden.KeyStoreState', NO_SIGNING_KEY);
    const signature = signatureCheck(input.Export, input.Signature, parseSigningPublicKey(pem));
    const chain = checkExportChain(input.Export);
    const reasons = [signature.reason, chain.reason].filter((reason): reason is string => reason !== null);
    return {
      Valid: signature.valid && chain.valid,
      SignatureValid: signature.valid,
      ChainValid: chain.valid,
      RecordCount: chain.recordCount,
      FirstBrokenSequence: chain.firstBrokenSequence,
      Reason: reasons.length === 0 ? null : reasons.join('; '),
    };
  }
}

/** The DER ECDSA-SHA256 signature over the export's UTF-8 bytes, exactly as openssl dgst checks it. */
function signatureCheck(exported: string, signature: string, key: KeyObject): { valid: boolean; reason: string | null } {
  const { valid, reason } = checkDerSignature(Buffer.from(exported, 'utf8'), signature, key);
  if (valid) return { valid, reason: null };
  return { valid, reason: reason === 'not base64' ? 'the signature is not base64' : 'the signature does not match the export and the signing key' };
}
