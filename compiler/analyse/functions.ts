/**
 * Spark 3.5 built-in functions: the result type by name and argument types, and its nullability
 * (spark-types/function-nullability.ts). Unknown functions (UDFs) type as unknown.
 */
import type { SqlType } from '../api/columns.js';
import { arithmetic, type Operand } from './spark-types/arithmetic.js';
import { castNullable } from './spark-types/casts.js';
import { avgOfDecimal, sumOfDecimal } from './spark-types/decimal-rules.js';
import { functionNullable } from './spark-types/function-nullability.js';
import { commonType, isIntegral, isNumeric, parseTypeName, T } from './sql-types.js';

export type Arg = Operand;
type Rule = (args: SqlType[], full: Arg[]) => SqlType;

const fixed = (t: SqlType): Rule => () => t;
const first: Rule = (args) => args[0] ?? T.unknown;
const common: Rule = (args) => commonType(args) ?? T.unknown;
const unknownIf = (a: SqlType | undefined, otherwise: SqlType) => (a?.kind === 'unknown' ? T.unknown : otherwise);

const sum: Rule = ([a]) => {
  if (!a || a.kind === 'unknown') return T.unknown;
  if (isIntegral(a)) return T.bigint;
  if (a.kind === 'decimal') return decimalType(sumOfDecimal(a));
  return a.kind === 'interval' ? a : T.double;
};
const avg: Rule = ([a]) => (a?.kind === 'decimal' ? decimalType(avgOfDecimal(a)) : a?.kind === 'interval' ? a : unknownIf(a, T.double));
const decimalType = (d: { precision: number; scale: number }) => T.decimal(d.precision, d.scale);

/** round/bround: a decimal keeps its integer digits plus one, to the requested scale (RoundBase). */
const round: Rule = ([a], full) => {
  if (!a || !isNumeric(a)) return unknownIf(a, T.double);
  if (a.kind !== 'decimal') return a.kind === 'float' ? T.float : a;
  const scale = full[1]?.integerLiteral !== undefined ? Number(full[1].integerLiteral) : 0;
  const intDigits = a.precision - a.scale + 1;
  if (scale < 0) return T.decimal(Math.min(intDigits - scale, 38), 0);
  const s = Math.min(a.scale, scale);
  return T.decimal(Math.min(intDigits + s, 38), s);
};
/** ceil/floor: a decimal(p,s) becomes decimal(p-s+1,0), anything else a bigint. */
export const ceilFloor: Rule = ([a]) => (a?.kind === 'decimal' ? T.decimal(Math.min(a.precision - a.scale + 1, 38), 0) : unknownIf(a, T.bigint));
const element: Rule = ([a]) => (a?.kind === 'array' ? a.element : a?.kind === 'map' ? a.value : T.unknown);
const arrayOf: Rule = ([a]) => T.array(a ?? T.unknown);
const modulo: Rule = (_args, full) => (full.length === 2 ? arithmetic('%', full[0]!, full[1]!).type : T.unknown);
const concat: Rule = (args) => (args.length && args.every((a) => a.kind === 'array') ? (commonType(args) ?? T.unknown) : args.some((a) => a.kind === 'binary') && args.every((a) => a.kind === 'binary') ? T.binary : T.string);
const mapOf = (key: SqlType, value: SqlType): SqlType => ({ kind: 'map', key, value });
/** A schema as from_json takes it: a type (`array<int>`) or DDL columns (`a INT, b STRING`). */
function ddlSchemaType(text: string): SqlType {
  const asType = parseTypeName(text);
  if (asType) return asType;
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    depth += ch === '<' || ch === '(' ? 1 : ch === '>' || ch === ')' ? -1 : 0;
    current += ch;
  }
  parts.push(current);
  const fields = parts.map((p) => /^\s*`?(\w+)`?\s*:?\s+(.+?)\s*$/.exec(p)).map((m) => (m ? { name: m[1]!, type: parseTypeName(m[2]!) } : undefined));
  if (fields.some((f) => !f?.type)) return T.unknown;
  return { kind: 'struct', fields: fields.map((f) => ({ name: f!.name, type: f!.type! })) };
}

/** `int(x)`, `string(x)`, ...: function-style casts. */
const castTo = (t: SqlType): Rule => fixed(t);

const byName: Record<string, Rule> = {};
const set = (names: string, rule: Rule) => {
  for (const n of names.split(/\s+/).filter(Boolean)) byName[n] = rule;
};

set('count count_if approx_count_distinct regr_count', fixed(T.bigint));
set('sum', sum);
set('avg mean', avg);
set('min max first last first_value last_value any_value lag lead nth_value mode median_of max_by min_by bit_and bit_or bit_xor', first);
set('median percentile', fixed(T.double));
set('percentile_approx approx_percentile', ([a]) => (a && (isNumeric(a) || a.kind === 'date' || a.kind === 'timestamp') ? a : unknownIf(a, T.double)));
set('row_number rank dense_rank ntile', fixed(T.int));
set(
  'percent_rank cume_dist stddev std stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp kurtosis skewness regr_slope regr_intercept regr_r2 regr_avgx regr_avgy',
  fixed(T.double),
);
set('sqrt exp expm1 ln log log10 log2 log1p pow power rand randn random cbrt sin cos tan asin acos atan atan2 sinh cosh tanh degrees radians pi e hypot cot', fixed(T.double));
set(
  'lower upper lcase ucase trim ltrim rtrim btrim concat_ws substring substr regexp_replace regexp_extract md5 sha1 sha sha2 initcap lpad rpad replace split_part format_string printf translate left right reverse date_format from_unixtime uuid base64 hex string repeat soundex overlay format_number to_char to_json conv elt char chr space array_join get_json_object schema_of_json typeof current_database version',
  fixed(T.string),
);
set('reverse', (args) => (args[0]?.kind === 'array' ? args[0] : T.string));
set('concat', concat);
set('split', fixed(T.array(T.string)));
set('sentences', fixed(T.array(T.array(T.string))));
set('coalesce nvl ifnull greatest least nullif', common);
set('nvl2', (args) => commonType(args.slice(1)) ?? T.unknown);
set('if iff', (args) => commonType(args.slice(1)) ?? T.unknown);
set('nanvl', common);
set('to_date current_date curdate date_add date_sub dateadd add_months last_day next_day make_date trunc date_from_unix_date', fixed(T.date));
set(
  'date_trunc to_timestamp current_timestamp now from_utc_timestamp to_utc_timestamp make_timestamp timestamp_seconds timestamp_millis timestamp_micros timestampadd',
  fixed(T.timestamp),
);
set(
  'year month day dayofmonth dayofweek dayofyear weekday hour minute quarter weekofyear datediff date_diff length char_length character_length size cardinality instr locate position bit_length octet_length ascii unix_date levenshtein',
  fixed(T.int),
);
set('hash', fixed(T.int));
set('date_part datepart', fixed(T.int));
set('second', fixed(T.int));
set('unix_timestamp xxhash64 monotonically_increasing_id unix_seconds unix_millis unix_micros crc32 timestampdiff array_position', fixed(T.bigint));
set('months_between', fixed(T.double));
set('round bround', round);
set('abs negative positive', ([a]) => (a && isNumeric(a) ? a : unknownIf(a, T.double)));
set('ceil ceiling floor', ceilFloor);
set('pmod', modulo);
set('shiftleft shiftright shiftrightunsigned', ([a]) => (a && isIntegral(a) ? (a.kind === 'bigint' ? a : T.int) : unknownIf(a, T.int)));
set(
  'rlike regexp regexp_like like ilike isnull isnotnull isnan array_contains arrays_overlap exists forall startswith endswith contains equal_null bool_and bool_or every some any',
  fixed(T.boolean),
);
set('explode explode_outer inline element_at try_element_at array_max array_min', element);
set('collect_list collect_set array_agg', arrayOf);
set('array', (args) => T.array(commonType(args) ?? T.unknown));
set('array_repeat', arrayOf);
set('sequence', ([a]) => T.array(a ?? T.unknown));
set('array_distinct array_sort array_union array_intersect array_except slice filter sort_array shuffle array_compact array_remove', first);
set('flatten', ([a]) => (a?.kind === 'array' && a.element.kind === 'array' ? a.element : T.unknown));
set('map', (args) => mapOf(commonType(args.filter((_, i) => i % 2 === 0)) ?? T.unknown, commonType(args.filter((_, i) => i % 2 === 1)) ?? T.unknown));
set('map_from_arrays', ([k, v]) => (k?.kind === 'array' && v?.kind === 'array' ? mapOf(k.element, v.element) : T.unknown));
set('map_concat map_filter', first);
set('map_entries', ([a]) => (a?.kind === 'map' ? T.array({ kind: 'struct', fields: [{ name: 'key', type: a.key }, { name: 'value', type: a.value }] }) : T.unknown));
set('map_keys', ([a]) => (a?.kind === 'map' ? T.array(a.key) : T.unknown));
set('map_values', ([a]) => (a?.kind === 'map' ? T.array(a.value) : T.unknown));
set('json_tuple', fixed(T.unknown));
set('from_json', (_args, full) => (full[1]?.stringLiteral !== undefined ? ddlSchemaType(full[1].stringLiteral) : T.unknown));
set('to_number try_to_number', fixed(T.decimal(38, 18)));
set('try_divide', (_args, full) => (full.length === 2 ? arithmetic('/', full[0]!, full[1]!).type : T.unknown));
set('transform', ([a, body]) => (a?.kind === 'array' ? T.array(body ?? T.unknown) : T.unknown));
set('zip_with', ([, , body]) => T.array(body ?? T.unknown));
set('aggregate reduce', ([, zero, , finish]) => finish ?? zero ?? T.unknown);
set('transform_values', ([m, body]) => (m?.kind === 'map' ? mapOf(m.key, body ?? T.unknown) : T.unknown));
set('transform_keys', ([m, body]) => (m?.kind === 'map' ? mapOf(body ?? T.unknown, m.value) : T.unknown));
set('arrays_zip', () => T.unknown);
set('grouping', fixed(T.tinyint));
set('grouping_id', fixed(T.bigint));
for (const name of 'int bigint smallint tinyint double float boolean date timestamp binary decimal'.split(' ')) set(name, castTo(parseTypeName(name)!));
byName.string = castTo(T.string);

/** The function-style casts (`int(x)`): their nullability is CAST's. */
const CASTS = new Set('int bigint smallint tinyint double float boolean date timestamp binary decimal string'.split(' '));

export const AGGREGATES = new Set(
  'count count_if approx_count_distinct sum avg mean min max first last first_value last_value any_value max_by min_by stddev std stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp regr_count kurtosis skewness bit_and bit_or bit_xor collect_list collect_set array_agg percentile percentile_approx approx_percentile median mode bool_and bool_or every some any'.split(
    ' ',
  ),
);

export function functionReturnType(name: string, args: SqlType[]): SqlType {
  return functionResult(name, args.map((type) => ({ type, nullable: true }))).type;
}

/** The type and nullability of `name(args)`, as Spark 3.5 gives them. */
export function functionResult(name: string, args: Arg[], window = false): { type: SqlType; nullable: boolean } {
  const n = name.toLowerCase();
  const rule = byName[n];
  const type = rule ? rule(args.map((a) => a.type), args) : T.unknown;
  if (CASTS.has(n) && args[0]) return { type, nullable: castNullable(args[0].type, type, args[0].nullable, false) };
  return { type, nullable: functionNullable(n, args, { aggregate: AGGREGATES.has(n), window }) };
}

export function isKnownFunction(name: string): boolean {
  return name.toLowerCase() in byName;
}

