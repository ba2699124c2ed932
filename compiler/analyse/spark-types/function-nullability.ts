/**
 * Whether a Spark 3.5 built-in function can return NULL (its expression's `nullable`), by name:
 * most are NULL only for a NULL argument; some never are (counts, ranks, size, concat_ws, array
 * constructors); some can be for any input (aggregates over no rows, parsers of strings, math
 * functions outside their domain, lookups into arrays and maps).
 */
import type { Operand } from './arithmetic.js';
import { castForcesNull } from './casts.js';
import { T } from '../sql-types.js';

const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Never NULL, whatever the arguments. */
const NEVER = words(`
  count count_if approx_count_distinct regr_count collect_list collect_set array_agg
  row_number rank dense_rank ntile percent_rank cume_dist
  current_date curdate current_timestamp now uuid monotonically_increasing_id rand randn random pi e
  isnull isnotnull isnan equal_null grouping grouping_id size cardinality concat_ws hash xxhash64
  array map struct named_struct typeof current_database version`);

/** NULL possible for any input. */
const ALWAYS = words(`
  nullif unix_timestamp from_unixtime date_trunc trunc next_day make_date make_timestamp
  element_at try_element_at get_json_object json_tuple from_json try_divide try_to_number to_number
  split_part sha2 format_number right conv elt array_max array_min array_position arrays_zip array_contains
  round bround ceil ceiling floor sqrt ln log log10 log2 log1p exp expm1 cbrt asin acos atan sin cos tan sinh cosh tanh cot degrees radians
  first_value last_value nth_value try_cast timestampdiff pmod sentences flatten explode explode_outer inline`);

/** The nullability of `name(args)`. */
export function functionNullable(name: string, args: Operand[], kind: { aggregate: boolean; window: boolean }): boolean {
  if (NEVER.has(name)) return false;
  if (ALWAYS.has(name)) return true;
  const any = args.some((a) => a.nullable && !a.lambda);
  // A higher-order function is NULL for a NULL collection; aggregate also when its lambdas are.
  if (name === 'aggregate' || name === 'reduce' || name === 'exists' || name === 'forall') return args.some((a) => a.nullable);
  switch (name) {
    case 'coalesce':
    case 'nvl':
    case 'ifnull':
    case 'greatest':
    case 'least':
      return args.every((a) => a.nullable);
    case 'nvl2':
    case 'if':
    case 'iff':
      return args.slice(1).some((a) => a.nullable);
    case 'lag':
    case 'lead':
      // Without a default (the third argument) the rows past the edge are NULL.
      return args.length < 3 || args[0]!.nullable || args[2]!.nullable || castForcesNull(args[2]!.type, args[0]!.type);
    case 'to_date':
    case 'to_timestamp':
      // One argument of a date or timestamp is a cast; a string (or a format) may not parse.
      return args.length !== 1 || any || castForcesNull(args[0]!.type, name === 'to_date' ? T.date : T.timestamp);
  }
  if (kind.aggregate) return true;
  return any;
}
