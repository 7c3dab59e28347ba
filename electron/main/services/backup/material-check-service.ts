import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import { KmsError } from '../../../../shared/errors';
import type { RequestContext } from '../request-context';

/** VerifyKeyStoreMaterial: a round trip through every key version of a connected store. */
export class MaterialCheckService {
   
  async verify(input: ParsedInput<'VerifyKeyStoreMaterial'>, request: RequestContext): Promise<OperationResult<'VerifyKeyStoreMaterial'>> {
    void request;
    throw new KmsError('UnsupportedOperation', `Not yet: ${input.KeyStoreId}`);
  }
}
