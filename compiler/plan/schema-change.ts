/**
 * `on_schema_change` for incremental models: how a model's columns differ from its table's, and
 * which differences each mode accepts. One comparison for the compile-time check (against the last
 * build's recorded schema, compiler/plan/schema-change-state.ts) and the run-time one (against the
 * catalog, runtime/runner/schema-change.ts), so both say the same thing.
 */
import type { OnSchemaChange } from '../config/model-config.js';
import type { ColumnType } from './operations.js';

export interface ColumnChanges {
  /** In the model, not in the table (model order). */
  added: ColumnType[];
  /** In the table, not in the model (table order). */
  removed: ColumnType[];
  /** In both, with another type. */
  retyped: Array<{ name: string; from: string; to: string }>;
}

/** Type names as Spark prints them and as the compiler formats them, compared the same way. */
const ALIASES: Record<string, string> = { integer: 'int', long: 'bigint', short: 'smallint', byte: 'tinyint', real: 'float', dec: 'decimal', numeric: 'decimal' };
export function normalType(type: string): string {
  const t = type.toLowerCase().replace(/\s+/g, '');
  const m = /^([a-z_]+)(.*)$/.exec(t);
  if (!m) return t;
  const base = ALIASES[m[1]!] ?? m[1]!;
  return base === 'decimal' && m[2] === '' ? 'decimal(10,0)' : `${base}${m[2]}`;
}

const key = (name: string) => name.toLowerCase();

export function columnChanges(table: readonly ColumnType[], model: readonly ColumnType[]): ColumnChanges {
  const inTable = new Map(table.map((c) => [key(c.name), c]));
  const inModel = new Map(model.map((c) => [key(c.name), c]));
  const retyped: ColumnChanges['retyped'] = [];
  for (const c of model) {
    const t = inTable.get(key(c.name));
    // A type the analyser could not infer is not a change.
    if (t && c.type !== 'unknown' && normalType(t.type) !== normalType(c.type)) retyped.push({ name: t.name, from: t.type, to: c.type });
  }
  return { added: model.filter((c) => !inTable.has(key(c.name))), removed: table.filter((c) => !inModel.has(key(c.name))), retyped };
}

export const hasChanges = (c: ColumnChanges) => c.added.length + c.removed.length + c.retyped.length > 0;

const INTEGRAL = ['tinyint', 'smallint', 'int', 'bigint'];

/** A type change Delta's type widening makes without rewriting data: a wider integer, float to double, a wider decimal. */
export function isSafeWidening(from: string, to: string): boolean {
  const a = normalType(from);
  const b = normalType(to);
  if (INTEGRAL.includes(a) && INTEGRAL.includes(b)) return INTEGRAL.indexOf(b) > INTEGRAL.indexOf(a);
  if (a === 'float' && b === 'double') return true;
  const dec = (t: string) => /^decimal\((\d+),(\d+)\)$/.exec(t);
  const da = dec(a);
  const db = dec(b);
  if (da && db) {
    const [p1, s1, p2, s2] = [da[1], da[2], db[1], db[2]].map(Number) as [number, number, number, number];
    return s2 >= s1 && p2 - s2 >= p1 - s1 && (p2 !== p1 || s2 !== s1);
  }
  return false;
}

/** What a mode does with the changes: the columns to add, drop and widen, or why it refuses. */
export interface SchemaChangePlan {
  add: ColumnType[];
  drop: string[];
  widen: Array<{ name: string; type: string }>;
  /** Set when the mode refuses the change (fail; sync with an unsafe type change). */
  refused?: string;
}

/** One line per change, for messages: `+ email string`, `- legacy_code`, `~ amount int -> bigint`. */
export function describeChanges(c: ColumnChanges): string[] {
  return [...c.added.map((a) => `+ ${a.name} ${a.type}`), ...c.removed.map((r) => `- ${r.name}`), ...c.retyped.map((r) => `~ ${r.name} ${r.from} -> ${r.to}`)];
}

export function planSchemaChange(mode: OnSchemaChange, c: ColumnChanges): SchemaChangePlan {
  const none: SchemaChangePlan = { add: [], drop: [], widen: [] };
  if (!hasChanges(c) || mode === 'ignore') return none;
  if (mode === 'fail') return { ...none, refused: `on_schema_change is fail and the columns changed (${describeChanges(c).join(', ')})` };
  if (mode === 'append_new_columns') return { ...none, add: c.added };
  const unsafe = c.retyped.filter((r) => !isSafeWidening(r.from, r.to));
  if (unsafe.length) {
    return { ...none, refused: `sync_all_columns cannot change ${unsafe.map((r) => `${r.name} from ${r.from} to ${r.to}`).join(', ')}: only a safe widening (a wider integer, float to double, a wider decimal) keeps the rows; rebuild with --full-refresh` };
  }
  return { add: c.added, drop: c.removed.map((r) => r.name), widen: c.retyped.map((r) => ({ name: r.name, type: r.to })) };
}
