import type { OperationResult, ParsedInput } from '../../../../shared/contract';
import type { TagService } from '../keys/tag-service';
import type { RequestContext } from '../request-context';
import type { SecretTags } from './secret-tags';

/** TagResource, UntagResource and ListResourceTags: the contract lets exactly one of KeyId and SecretName through. */
export class ResourceTags {
  constructor(
    private readonly keyTags: TagService,
    private readonly secretTags: SecretTags,
  ) {}

  tag(input: ParsedInput<'TagResource'>, request: RequestContext): OperationResult<'TagResource'> {
    return input.SecretName === undefined ? this.keyTags.tag(input.KeyId ?? '', input.Tags, request) : this.secretTags.tag(input.SecretName, input.Tags, request);
  }

  untag(input: ParsedInput<'UntagResource'>, request: RequestContext): OperationResult<'UntagResource'> {
    return input.SecretName === undefined
      ? this.keyTags.untag(input.KeyId ?? '', input.TagKeys, request)
      : this.secretTags.untag(input.SecretName, input.TagKeys, request);
  }

  list(input: ParsedInput<'ListResourceTags'>): OperationResult<'ListResourceTags'> {
    return input.SecretName === undefined ? this.keyTags.list(input.KeyId ?? '') : this.secretTags.list(input.SecretName);
  }
}
