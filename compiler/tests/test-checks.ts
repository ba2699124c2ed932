/**
 * The check of a data test: what it counts, as data, when it can share one scan of its table with
 * the table's other tests (compiler/plan/operations.ts TestCheckSchema). Built from the same
 * conditions as the test's own SQL (generic-tests.ts), so a combined count and the test's own
 * query agree. Tests with a `where`, joins (relationships), groups of columns or hand-written SQL
 * (singular tests) have none and run alone.
 */
import type { ManifestTest } from '../manifest/types.js';
import type { Relation, TestCheck } from '../plan/operations.js';
import { rowCondition } from './generic-tests.js';

export function testCheck(test: ManifestTest, relation: Relation | undefined): TestCheck | undefined {
  if (!relation || test.kind !== 'generic' || test.test === undefined || test.args.where !== undefined) return undefined;
  const column = test.attachedTo.column;
  const args = test.args;
  switch (test.test) {
    case 'unique':
      return column ? { relation, fails: { kind: 'duplicates', column } } : undefined;
    case 'row_count': {
      const bound = (v: unknown) => (v === undefined ? null : Number(v));
      const min = bound(args.min);
      const max = bound(args.max);
      if ((min === null && max === null) || Number.isNaN(min) || Number.isNaN(max)) return undefined;
      return { relation, fails: { kind: 'row_count', min, max } };
    }
    case 'freshness': {
      const loaded = args.loaded_at_column;
      const after = Number(args.after_seconds);
      return typeof loaded === 'string' && Number.isInteger(after) && after >= 0 ? { relation, fails: { kind: 'stale', column: loaded, afterSeconds: after } } : undefined;
    }
    default: {
      const rows = rowCondition(test.test, args, column);
      return rows?.ok ? { relation, fails: { kind: 'rows', condition: rows.condition } } : undefined;
    }
  }
}
