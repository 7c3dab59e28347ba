import { KEY_USER_PERMISSION, SECRET_USER_PERMISSION, type DataPlaneOperation, type Permission } from '../../../../shared/contract';
import type { AccessDecision, AccessRequest } from './access-seams';
import { addressInBlocks, type AddressBlock } from './source-addresses';

/** A policy of an access point as a decision needs it: its rules' addresses already parsed. */
export interface PolicyGrant {
  policyName: string;
  permissions: readonly string[];
  resources: readonly string[];
  blocks: readonly AddressBlock[];
}

export function requiredPermission(operation: DataPlaneOperation): Permission {
  return operation === 'GetSecretValue' ? SECRET_USER_PERMISSION : KEY_USER_PERMISSION;
}

/** `key/*`, `key/<KeyId>`, `alias/<name>` of any alias of the key; `secret/*`, `secret/<SecretName>`. */
export function resourceMatches(resource: string, request: AccessRequest): boolean {
  if (request.key) {
    const { keyId, aliasNames } = request.key;
    if (resource === 'key/*' || resource === `key/${keyId}`) return true;
    return resource.startsWith('alias/') && aliasNames.some((alias) => aliasResource(alias) === resource);
  }
  if (request.secretName !== undefined) return resource === 'secret/*' || resource === `secret/${request.secretName}`;
  return false;
}

/**
 * Any of the access point's policies may allow the call. A refusal names the first check that no
 * policy passes, narrowing as it goes: the address (no policy admits it), then the permission
 * (among the policies that admit it), then the resource (among those that also grant the permission).
 * `grants` null means the access point is gone, which revokes its client keys.
 */
export function decideAccess(grants: readonly PolicyGrant[] | null, request: AccessRequest): AccessDecision {
  const aap = request.aapName;
  if (grants === null) {
    return { allowed: false, code: 'Unauthenticated.ClientKeyRevoked', message: `Application access point ${aap} no longer exists; its client keys are revoked.` };
  }
  const admitting = grants.filter((grant) => addressInBlocks(grant.blocks, request.sourceAddress));
  if (admitting.length === 0) {
    return {
      allowed: false,
      code: 'Forbidden.SourceAddress',
      message: `Source address ${request.sourceAddress} is outside the network rules of every policy of access point ${aap}.`,
    };
  }
  const permission = requiredPermission(request.operation);
  const permitting = admitting.filter((grant) => grant.permissions.includes(permission));
  if (permitting.length === 0) {
    return {
      allowed: false,
      code: 'Forbidden.Permission',
      message: `No policy of access point ${aap} that admits ${request.sourceAddress} grants ${permission.split('/').pop() ?? permission}, which ${request.operation} needs.`,
    };
  }
  const allowing = permitting.find((grant) => grant.resources.some((resource) => resourceMatches(resource, request)));
  if (!allowing) {
    return { allowed: false, code: 'Forbidden.Resource', message: `No policy of access point ${aap} grants ${request.operation} on ${describeResource(request)}.` };
  }
  return { allowed: true, policy: allowing.policyName };
}

function aliasResource(aliasName: string): string {
  return aliasName.startsWith('alias/') ? aliasName : `alias/${aliasName}`;
}

function describeResource(request: AccessRequest): string {
  if (request.key) return `key/${request.key.keyId}`;
  if (request.secretName !== undefined) return `secret/${request.secretName}`;
  return 'an unnamed resource';
}
