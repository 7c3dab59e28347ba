import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { SignMechanism } from '../../hsm';
import type { KeyRow } from '../../registry';
import type { RequestContext } from '../request-context';
import type { KeyUse } from './key-use';

/** HMAC inside the HSM with GENERATE/VERIFY_MAC keys. */
export class MacService {
  constructor(private readonly use: KeyUse) {}

  generate(input: ParsedInput<'GenerateMac'>, request: RequestContext): Promise<OperationResult<'GenerateMac'>> {
    return this.use.record('GenerateMac', input.KeyId, request, async () => {
      const { key, version } = this.use.usable(input.KeyId, 'GENERATE/VERIFY_MAC');
      const mac = await this.use.onToken(key, {}, (token) =>
        token.hsm.sign({
          objectId: version.objectId,
          mechanism: macMechanism(key),
          data: Buffer.from(input.Message, 'base64'),
        }),
      );
      return { result: { KeyId: key.id, KeyVersionId: version.id, Mac: mac.toString('base64') }, keyId: key.id };
    });
  }

  verify(input: ParsedInput<'VerifyMac'>, request: RequestContext): Promise<OperationResult<'VerifyMac'>> {
    return this.use.record('VerifyMac', input.KeyId, request, async () => {
      const { key, version } = this.use.usable(input.KeyId, 'GENERATE/VERIFY_MAC', input.KeyVersionId);
      const valid = await this.use.onToken(key, {}, (token) =>
        token.hsm.verify({
          objectId: version.objectId,
          mechanism: macMechanism(key),
          data: Buffer.from(input.Message, 'base64'),
          signature: Buffer.from(input.Mac, 'base64'),
        }),
      );
      return { result: { KeyId: key.id, KeyVersionId: version.id, MacValid: valid }, keyId: key.id };
    });
  }
}

function macMechanism(key: KeyRow): SignMechanism {
  if (key.keySpec === 'HMAC_SHA256') return 'SHA256_HMAC';
  if (key.keySpec === 'HMAC_SHA512') return 'SHA512_HMAC';
  throw new KmsError('Forbidden.KeyUsage', `${key.keySpec} keys cannot make MACs.`);
}
