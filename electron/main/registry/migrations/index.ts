import { migration001Initial } from './001_initial';
import { migration002Clusters } from './002_clusters';
import { migration003KeyImport } from './003_key_import';
import { migration004LoginGuard } from './004_login_guard';
import { migration005DefaultForHsmKeys } from './005_default_for_hsm_keys';
import { migration006Secrets } from './006_secrets';
import { migration007KeyPairImport } from './007_key_pair_import';
import { migration008PendingLogins } from './008_pending_logins';
import { migration009Backups } from './009_backups';
import { migration010AccessPoints } from './010_access_points';
import { migration011XksProxies } from './011_xks_proxies';
import { migration012AuditTimeIndex } from './012_audit_time_index';
import { migration013ExternalKeyStores } from './013_external_key_stores';
import { migration014OfficersQuorum } from './014_officers_quorum';
import { migration015Ceremonies } from './015_ceremonies';
import type { Migration } from './types';

/** Every migration this build knows, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  migration001Initial,
  migration002Clusters,
  migration003KeyImport,
  migration004LoginGuard,
  migration005DefaultForHsmKeys,
  migration006Secrets,
  migration007KeyPairImport,
  migration008PendingLogins,
  migration009Backups,
  migration010AccessPoints,
  migration011XksProxies,
  migration012AuditTimeIndex,
  migration013ExternalKeyStores,
  migration014OfficersQuorum,
  migration015Ceremonies,
];

export type { Migration } from './types';
