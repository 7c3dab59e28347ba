import { migration001Initial } from './001_initial';
import { migration002Clusters } from './002_clusters';
import { migration003KeyImport } from './003_key_import';
import { migration004LoginGuard } from './004_login_guard';
import { migration005DefaultForHsmKeys } from './005_default_for_hsm_keys';
import type { Migration } from './types';

/** Every migration this build knows, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration001Initial, migration002Clusters, migration003KeyImport, migration004LoginGuard, migration005DefaultForHsmKeys];

export type { Migration } from './types';
