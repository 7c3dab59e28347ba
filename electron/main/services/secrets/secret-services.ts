import type { AuditTrail } from '../audit/audit-trail';
import { DataKeys } from '../crypto/data-keys';
import type { KeyUse } from '../crypto/key-use';
import type { ArnScope } from '../keys/key-metadata';
import type { KeyService } from '../keys/key-service';
import type { TagService } from '../keys/tag-service';
import type { KeyStoreConnections } from '../keystores/connections';
import type { ServiceContext } from '../service-context';
import { PasswordService } from './password-service';
import { ResourceTags } from './resource-tags';
import { SecretAdminService } from './secret-admin-service';
import { SecretRecords } from './secret-records';
import { SecretSealer } from './secret-sealer';
import { SecretService } from './secret-service';
import { SecretStageService } from './secret-stage-service';
import { SecretSweep } from './secret-sweep';
import { SecretTags } from './secret-tags';
import { SecretsKey } from './secrets-key';

/** The Secrets Manager services, built on the key services (CMKs, key use, key tags) of the same core. */
export function createSecretServices(deps: {
  context: ServiceContext;
  connections: KeyStoreConnections;
  audit: AuditTrail;
  scope: ArnScope;
  use: KeyUse;
  keys: KeyService;
  keyTags: TagService;
}) {
  const { context, audit } = deps;
  const records = new SecretRecords(context, deps.scope);
  const sealer = new SecretSealer(deps.use, new DataKeys(deps.use));
  return {
    values: new SecretService(records, sealer, new SecretsKey(context, deps.keys, sealer), audit),
    admin: new SecretAdminService(records, sealer, audit),
    stages: new SecretStageService(records, audit),
    passwords: new PasswordService(context, deps.connections),
    tags: new ResourceTags(deps.keyTags, new SecretTags(records, audit)),
    /** What the maintenance rounds do for secrets. */
    sweep: new SecretSweep(records, audit),
  };
}
