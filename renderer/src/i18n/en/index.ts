import type access from './access';
import type backup from './backup';
import type ceremonies from './ceremonies';
import type clusters from './clusters';
import type common from './common';
import type keyDetail from './keyDetail';
import type keys from './keys';
import type secrets from './secrets';
import type shell from './shell';

/**
 * Every string the console shows, by area. English is the source: each zh-CN area file must have the
 * same keys (`satisfies Translation<typeof en>`, a compile error otherwise). Only `shell` and `common`
 * are in the first paint; an area's strings travel with its pages (see ../areas/).
 */
export interface MessageSchema {
  shell: typeof shell;
  common: typeof common;
  keys: typeof keys;
  keyDetail: typeof keyDetail;
  clusters: typeof clusters;
  secrets: typeof secrets;
  backup: typeof backup;
  access: typeof access;
  ceremonies: typeof ceremonies;
}

export type Area = Exclude<keyof MessageSchema, 'shell' | 'common'>;
