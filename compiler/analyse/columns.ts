/** Name resolution: a column reference (alias.column.field...) against the scopes in reach. */
import { formatType } from '../api/columns.js';
import { didYouMean } from '../resolve/environment.js';
import { EMPTY, lc, spanOf, union, type Node, type Value } from './ast.js';
import type { AnalysedColumn, Ctx, Scope } from './context.js';
import { T } from './sql-types.js';

export function column(cx: Ctx, parts: string[], node: Node, scope: Scope, silent = false): Value {
  const pos = spanOf(node);
  const found = (c: AnalysedColumn, rest: string[]): Value => {
    let type = c.type;
    for (const field of rest) {
      if (type.kind === 'struct') {
        const f = type.fields.find((x) => lc(x.name) === lc(field));
        if (!f) {
          if (!silent) cx.report('ETL161', 'error', `Struct '${c.name}' has no field '${field}'`, pos, didYouMean(field, type.fields.map((x) => x.name)) || `Its fields: ${type.fields.map((x) => x.name).join(', ')}.`);
          type = T.unknown;
          break;
        }
        type = f.type;
      } else if (type.kind !== 'unknown') {
        if (!silent) cx.report('ETL170', 'error', `'${c.name}' is ${formatType(type)}, not a struct: it has no field '${field}'`, pos, '');
        type = T.unknown;
        break;
      }
    }
    return { type, nullable: c.nullable || rest.length > 0, refs: c.refs, classes: c.classes, agg: false, ...(c.masks ? { masks: c.masks } : {}) };
  };
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    // alias.column[.field...]
    if (parts.length > 1) {
      const rel = s.rels.find((r) => lc(r.alias) === lc(parts[0]!));
      if (rel) {
        const col = rel.columns.find((c) => lc(c.name) === lc(parts[1]!));
        if (col) return found(col, parts.slice(2));
        if (rel.opaque) return EMPTY();
        if (!silent) {
          cx.report('ETL161', 'error', `Column '${parts[1]}' not found in '${rel.alias}'`, pos, didYouMean(parts[1]!, rel.columns.map((c) => c.name)) || `'${rel.alias}' has: ${rel.columns.map((c) => c.name).join(', ')}`);
        }
        return EMPTY();
      }
      // database.table.column
      if (parts.length > 2) {
        const byFqn = s.rels.find((r) => r.fqn === lc(`${parts[0]}.${parts[1]}`));
        const col = byFqn?.columns.find((c) => lc(c.name) === lc(parts[2]!));
        if (col) return found(col, parts.slice(3));
      }
    }
    const matches: AnalysedColumn[] = [];
    const owners: string[] = [];
    for (const r of s.rels) {
      const col = r.columns.find((c) => lc(c.name) === lc(parts[0]!));
      if (col) {
        matches.push(col);
        owners.push(r.alias);
      }
    }
    if (matches.length === 1) return found(matches[0]!, parts.slice(1));
    if (matches.length > 1) {
      if (s.usingKeys?.has(lc(parts[0]!))) {
        const side = owners.findIndex((o) => lc(o) === s.usingSide?.get(lc(parts[0]!)));
        const merged = { ...matches[Math.max(side, 0)]!, refs: union(...matches.map((m) => m.refs)), classes: union(...matches.map((m) => m.classes)) };
        return found(merged, parts.slice(1));
      }
      if (!silent) {
        cx.report('ETL162', 'error', `Column '${parts[0]}' is ambiguous: it is in ${owners.map((o) => `'${o}'`).join(' and ')}`, pos, `Qualify it, e.g. ${owners[0]}.${parts[0]}.`);
      }
      return found(matches[0]!, parts.slice(1));
    }
    const lateral = s.laterals?.get(lc(parts[0]!));
    if (lateral) return found(lateral, parts.slice(1));
    if (s.rels.some((r) => r.opaque)) return EMPTY();
  }
  // Spark's virtual column of GROUPING SETS, ROLLUP and CUBE (as grouping_id()).
  if (parts.length === 1 && lc(parts[0]!) === 'grouping__id') return { type: T.bigint, nullable: false, refs: new Set(), classes: new Set(), agg: true };
  if (!silent) {
    const candidates = scope.rels.flatMap((r) => r.columns.map((c) => c.name));
    const name = parts[parts.length > 1 ? 1 : 0]!;
    const inReach: string[] = [];
    for (let s: Scope | undefined = scope.parent; s; s = s.parent) for (const r of s.rels) for (const c of r.columns) inReach.push(c.name);
    cx.report('ETL161', 'error', `Unknown column '${parts.join('.')}'`, pos, didYouMean(name, candidates) || didYouMean(name, inReach) || (candidates.length ? `Available: ${[...new Set(candidates)].slice(0, 12).join(', ')}` : ''));
  }
  return EMPTY();
}
