import type { Migration } from './types';

/*
 * ListAuditEvents' time range (issue 16): `time` is always Date#toISOString() (one fixed-width
 * form), so text order is time order and a range is an index range. Appends land near the end of
 * this index (times mostly grow), so it costs little per record.
 */
const SQL = `CREATE INDEX audit_events_time ON audit_events(time);`;

export const migration012AuditTimeIndex: Migration = {
  version: 12,
  name: 'audit_time_index',
  up(db) {
    db.exec(SQL);
  },
};
