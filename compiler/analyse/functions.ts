/** Return types of Spark SQL built-in functions, by name. Unknown functions (UDFs) type as unknown. */
import type { SqlType } from '../api/columns.js';
import { asDecimal, commonType, isNumeric, T } from './sql-types.js';

type Rule = (args: SqlType[]) => SqlType;

const fixed = (t: SqlType): Rule => () => t;
const first: Rule = (args) => args[0] ?? T.unknown;
const common: Rule = (args) => commonType(args) ?? T.unknown;

const sum: Rule = ([a]) => {
  if (!a || !isNumeric(a)) return a?.kind === 'unknown' ? T.unknown : T.double;
  if (a.kind === 'int' || a.kind === 'bigint') return T.bigint;
  if (a.kind === 'decimal') return T.decimal(a.precision + 10, a.scale);
  return T.double;
};
const avg: Rule = ([a]) => {
  if (a?.kind === 'decimal') return T.decimal(a.precision + 4, a.scale + 4);
  return a?.kind === 'unknown' ? T.unknown : T.double;
};
const round: Rule = ([a]) => (a && isNumeric(a) ? a : a?.kind === 'unknown' ? T.unknown : T.double);
const ceilFloor: Rule = ([a]) => {
  if (a?.kind === 'decimal') {
    const d = asDecimal(a);
    return T.decimal(d.precision - d.scale + 1, 0);
  }
  return a?.kind === 'unknown' ? T.unknown : T.bigint;
};
const element: Rule = ([a]) => (a?.kind === 'array' ? a.element : a?.kind === 'map' ? a.value : T.unknown);

const byName: Record<string, Rule> = {};
const set = (names: string, rule: Rule) => {
  for (const n of names.split(/\s+/).filter(Boolean)) byName[n] = rule;
};

set('count count_if approx_count_distinct', fixed(T.bigint));
set('sum', sum);
set('avg mean', avg);
set('min max first last first_value last_value any_value lag lead nth_value mode median percentile_approx', first);
set('row_number rank dense_rank ntile', fixed(T.int));
set('percent_rank cume_dist stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp', fixed(T.double));
set('sqrt exp ln log log10 log2 pow power rand randn cbrt sin cos tan atan atan2 degrees radians', fixed(T.double));
set(
  'lower upper lcase ucase trim ltrim rtrim btrim concat concat_ws substring substr regexp_replace regexp_extract md5 sha1 sha sha2 initcap lpad rpad replace split_part format_string printf translate left right reverse date_format from_unixtime uuid base64 hex string repeat soundex overlay format_number to_char to_json',
  fixed(T.string),
);
set('split', fixed(T.array(T.string)));
set('coalesce nvl ifnull greatest least nullif nvl2', common);
set('if iff', (args) => commonType(args.slice(1)) ?? T.unknown);
set('to_date date current_date curdate date_add date_sub dateadd add_months last_day next_day make_date trunc', fixed(T.date));
set(
  'date_trunc to_timestamp current_timestamp now from_utc_timestamp to_utc_timestamp timestamp make_timestamp timestamp_seconds timestamp_millis',
  fixed(T.timestamp),
);
set(
  'year month day dayofmonth dayofweek dayofyear weekday hour minute second quarter weekofyear datediff length char_length character_length size cardinality instr locate position hash bit_length octet_length ascii',
  fixed(T.int),
);
set('unix_timestamp xxhash64 monotonically_increasing_id unix_seconds unix_millis', fixed(T.bigint));
set('months_between', fixed(T.double));
set('round bround abs negative positive', round);
set('ceil ceiling floor', ceilFloor);
set(
  'rlike regexp regexp_like like ilike isnull isnotnull isnan array_contains exists forall startswith endswith contains equal_null bool_and bool_or every some',
  fixed(T.boolean),
);
set('explode explode_outer posexplode inline element_at try_element_at', element);
set('collect_list collect_set array_agg', ([a]) => T.array(a ?? T.unknown));
set('array', (args) => T.array(commonType(args) ?? T.unknown));
set('array_distinct array_sort array_union array_intersect array_except slice filter sort_array shuffle array_compact', first);
set('map_keys', ([a]) => (a?.kind === 'map' ? T.array(a.key) : T.unknown));
set('map_values', ([a]) => (a?.kind === 'map' ? T.array(a.value) : T.unknown));
set('from_json get_json_object json_tuple', fixed(T.unknown));
set('get_json_object', fixed(T.string));
set('to_number try_to_number', fixed(T.decimal(38, 18)));
set('try_divide', ([a, b]) => (a && b && (a.kind === 'decimal' || b.kind === 'decimal') ? T.decimal(38, 6) : T.double));

export const AGGREGATES = new Set(
  'count count_if approx_count_distinct sum avg mean min max first last any_value stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp collect_list collect_set array_agg percentile_approx median mode bool_and bool_or every some'.split(
    ' ',
  ),
);

/** Functions that never return NULL for any input. */
export const NEVER_NULL = new Set('count count_if row_number rank dense_rank ntile current_date current_timestamp now uuid monotonically_increasing_id isnull isnotnull'.split(' '));

export function functionReturnType(name: string, args: SqlType[]): SqlType {
  const rule = byName[name.toLowerCase()];
  return rule ? rule(args) : T.unknown;
}

export function isKnownFunction(name: string): boolean {
  return name.toLowerCase() in byName;
}
