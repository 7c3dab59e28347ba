import type { z } from 'zod';
import type { listKeysFilterSchema } from '../../../../shared/contract';
import { containsPattern, inList } from '../sql';

/** The contract's ListKeys filter names: KeyState, KeySpec, KeyUsage, ProtectionLevel, KeyStoreId, Origin, Text, Tag. */
export type KeyListFilterKey = z.infer<typeof listKeysFilterSchema>['Key'];

export interface KeyListFilter {
  key: KeyListFilterKey;
  /** Alternatives: a key matches the filter when it matches any of them. */
  values: readonly string[];
}

const COLUMN_BY_FILTER: Record<Exclude<KeyListFilterKey, 'Text' | 'Tag'>, string> = {
  KeyState: 'k.key_state',
  KeySpec: 'k.key_spec',
  KeyUsage: 'k.key_usage',
  ProtectionLevel: 'k.protection_level',
  KeyStoreId: 'k.key_store_id',
  Origin: 'k.origin',
};

// The alias side is an IN list, not a correlated EXISTS: SQLite scans the aliases once per query
// instead of probing them once per key (57 ms vs 92 ms for a count over 100k keys).
const TEXT_MATCH = `(k.id LIKE ? ESCAPE '\\' OR k.description LIKE ? ESCAPE '\\'
  OR k.id IN (SELECT a.key_id FROM aliases a WHERE a.alias_name LIKE ? ESCAPE '\\'))`;

/** `TagKey` (the key has the tag) or `TagKey=TagValue`; served by the tags(tag_key, tag_value, key_id) index. */
const TAG_KEY_MATCH = '(t.tag_key = ?)';
const TAG_PAIR_MATCH = '(t.tag_key = ? AND t.tag_value = ?)';

function tagMatch(values: readonly string[], params: string[]): string {
  const alternatives = values.map((value) => {
    const separator = value.indexOf('=');
    if (separator < 0) {
      params.push(value);
      return TAG_KEY_MATCH;
    }
    params.push(value.slice(0, separator), value.slice(separator + 1));
    return TAG_PAIR_MATCH;
  });
  return alternatives.join(' OR ');
}

/**
 * With many tagged keys the unary `+` keeps SQLite from driving the query by key id (a probe per
 * tagged key and then a sort of all of them: 100-200 ms for 10k tagged keys); it walks an index
 * instead and checks each key against the materialized tag set. With few, driving by id is best.
 */
function tagClause(values: readonly string[], params: string[], sparse: boolean): string {
  return `${sparse ? '' : '+'}k.id IN (SELECT t.key_id FROM tags t WHERE ${tagMatch(values, params)})`;
}

export interface WhereClause {
  sql: string;
  params: string[];
  /** No filter besides "not a tombstone". */
  unfiltered: boolean;
  /** Set for a lone Tag filter, which has a cheaper plan than `sql` (see tagOnlyPlan). */
  tagOnly?: TagOnlyPlan;
}

/**
 * A lone Tag filter is counted on the tags index alone, exact because tombstoned keys keep no
 * tags (KeysRepository.markDeleted). The count then picks the page plan: few tagged keys are
 * fetched by id and sorted; many are found by walking the newest-first index and probing each
 * key's tags, which stops after one page.
 */
export interface TagOnlyPlan {
  countSql: string;
  /** Parameters of every statement of the plan. */
  params: string[];
  sparseWhere: string;
  denseWhere: string;
}

/** Up to this many tagged keys, fetching by id and sorting beats walking the index. */
export const SPARSE_TAG_MATCHES = 2000;

export function tagOnlyPlan(values: readonly string[]): TagOnlyPlan {
  const params: string[] = [];
  const match = tagMatch(values, params);
  // A key has one row per tag key, so one alternative cannot count a key twice; several can.
  const counted = values.length === 1 ? 'count(*)' : 'count(DISTINCT t.key_id)';
  return {
    countSql: `SELECT ${counted} AS count FROM tags t WHERE ${match}`,
    params,
    sparseWhere: `k.deleted_at IS NULL AND k.id IN (SELECT t.key_id FROM tags t WHERE ${match})`,
    denseWhere: `k.deleted_at IS NULL AND EXISTS (SELECT 1 FROM tags t WHERE t.key_id = k.id AND (${match}))`,
  };
}

/**
 * WHERE for ListKeys. Different filters are ANDed; the values of one filter are alternatives
 * (IN). Text matches, case-insensitively for ASCII, a substring of the key id, the description or
 * any alias name. Tombstones are never listed, which also lets SQLite use the partial indexes.
 *
 * Values become placeholders, never SQL text; only the number of placeholders shapes the statement.
 *
 * Text is the one filter that reads every live key (tens of ms at 100k). A trigram FTS5 index was
 * measured and rejected: it added ~2 s to inserting 100k keys and took 0.3-1 s for common
 * substrings such as "key", where the scan stays flat.
 */
export function keyListWhere(filters: readonly KeyListFilter[], options: { sparseTags?: boolean } = {}): WhereClause {
  const clauses = ['k.deleted_at IS NULL'];
  const params: string[] = [];
  for (const { key, values } of filters) {
    if (values.length === 0) throw new RangeError(`filter ${key} needs at least one value`);
    if (key === 'Text') {
      clauses.push(`(${values.map(() => TEXT_MATCH).join(' OR ')})`);
      for (const value of values) {
        const pattern = containsPattern(value);
        params.push(pattern, pattern, pattern);
      }
    } else if (key === 'Tag') {
      clauses.push(tagClause(values, params, options.sparseTags ?? false));
    } else {
      const column = COLUMN_BY_FILTER[key];
      if (column === undefined) throw new RangeError(`unknown key filter ${String(key)}`);
      clauses.push(inList(column, values.length));
      params.push(...values);
    }
  }
  const [only] = filters;
  if (filters.length === 1 && only?.key === 'Tag') {
    return { sql: clauses.join(' AND '), params, unfiltered: false, tagOnly: tagOnlyPlan(only.values) };
  }
  return { sql: clauses.join(' AND '), params, unfiltered: filters.length === 0 };
}
