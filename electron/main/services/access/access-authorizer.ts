import type { AccessGrantRow } from '../../registry';
import type { ServiceContext } from '../service-context';
import { decideAccess, type PolicyGrant } from './access-decision';
import type { AccessAuthorizer, AccessDecision, AccessRequest } from './access-seams';
import { parseBlock, type AddressBlock } from './source-addresses';

/** Distinct address lists kept parsed; past this many the cache starts over (rules rarely number more). */
const PARSED_RULES_CAPACITY = 512;

/**
 * Decides each application call from the registry as it is at that call: a changed rule, policy or
 * access point applies to the next request. Per call it is one prepared query; the parsing of a
 * rule's addresses is cached by their stored text, so a changed rule is simply a new entry.
 */
export class RegistryAccessAuthorizer implements AccessAuthorizer {
  private readonly parsedRules = new Map<string, AddressBlock[]>();

  constructor(private readonly context: ServiceContext) {}

  decide(request: AccessRequest): AccessDecision {
    const rows = this.context.registry.accessPoints.grants(request.aapName);
    return decideAccess(rows === null ? null : this.grantsOf(rows), request);
  }

  private grantsOf(rows: readonly AccessGrantRow[]): PolicyGrant[] {
    const byPolicy = new Map<string, PolicyGrant & { blocks: AddressBlock[] }>();
    for (const row of rows) {
      let grant = byPolicy.get(row.policyName);
      if (!grant) {
        grant = { policyName: row.policyName, permissions: row.permissions, resources: row.resources, blocks: [] };
        byPolicy.set(row.policyName, grant);
      }
      if (row.sourcePrivateIpJson !== null) grant.blocks.push(...this.blocksOf(row.sourcePrivateIpJson));
    }
    return [...byPolicy.values()];
  }

  private blocksOf(json: string): AddressBlock[] {
    const cached = this.parsedRules.get(json);
    if (cached) return cached;
    const blocks = (JSON.parse(json) as string[]).flatMap((entry) => {
      const block = parseBlock(entry);
      return block ? [block] : [];
    });
    if (this.parsedRules.size >= PARSED_RULES_CAPACITY) this.parsedRules.clear();
    this.parsedRules.set(json, blocks);
    return blocks;
  }
}
