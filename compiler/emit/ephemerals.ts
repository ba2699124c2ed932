/** Ephemeral models run inside their children: prepended as CTEs, positions kept for each part. */
import type { Query } from '../plan/operations.js';
import { generated, joinQueries, sliceQuery, trimQuery } from '../plan/query-map.js';

// Leading comments, then the query's own WITH (merged into, so the CTEs stay one list).
const LEADING_WITH = /^(\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*)with\s/i;

export function inlineEphemerals(select: Query, ctes: Array<{ name: string; query: Query }>): Query {
  if (ctes.length === 0) return select;
  const defs: Query[] = [];
  ctes.forEach((c, i) => defs.push(generated(`${i ? ',\n' : ''}${c.name} AS (\n`), trimQuery(c.query), generated('\n)')));
  const m = LEADING_WITH.exec(select.sql);
  if (m) return joinQueries([sliceQuery(select, 0, m[1]!.length), generated('WITH '), ...defs, generated(',\n'), sliceQuery(select, m[0].length)]);
  return joinQueries([generated('WITH '), ...defs, generated('\n'), select]);
}
