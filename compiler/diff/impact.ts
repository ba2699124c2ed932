/**
 * What downstream reads a model's changed columns, from column lineage: a column is impacted when
 * one of its `upstream` columns is changed or impacted (transitively through models), and every
 * column of a model is impacted when a changed or impacted column decides its rows (a filter, join
 * or GROUP BY column in its `rowDependencies`). A column nobody reads impacts nothing; tests and
 * exposures are impacted when they check or show a changed or impacted column.
 */
import type { Manifest } from '../manifest/types.js';

const ROW_ROLES = new Set(['filter', 'join', 'group']);
const key = (node: string, column: string) => `${node}\u0000${column}`;

/** Reverse lineage of one manifest, built once and walked per changed model. */
export class LineageIndex {
  /** `node\0column` -> the model columns whose values read it. */
  private readonly readers = new Map<string, Array<[string, string]>>();
  /** `node\0column` -> the models whose rows it decides. */
  private readonly rowReaders = new Map<string, Set<string>>();

  constructor(readonly manifest: Manifest) {
    for (const m of Object.values(manifest.models)) {
      for (const c of m.columns) for (const u of c.upstream) push(this.readers, key(u.node, u.column), [m.id, c.name]);
      for (const r of m.rowDependencies) {
        if (!ROW_ROLES.has(r.role)) continue;
        const k = key(r.node, r.column);
        (this.rowReaders.get(k) ?? this.rowReaders.set(k, new Set()).get(k)!).add(m.id);
      }
    }
  }

  /** Columns reached downstream of `seeds` (columns of `model`), the seeds themselves excluded. */
  reach(model: string, seeds: string[]): Set<string> {
    const seen = new Set(seeds.map((c) => key(model, c)));
    const reached = new Set<string>();
    const queue = [...seen];
    const visit = (k: string) => {
      if (seen.has(k)) return;
      seen.add(k);
      reached.add(k);
      queue.push(k);
    };
    for (let i = 0; i < queue.length; i++) {
      const k = queue[i]!;
      for (const [m, c] of this.readers.get(k) ?? []) visit(key(m, c));
      for (const m of this.rowReaders.get(k) ?? []) for (const c of this.manifest.models[m]?.columns ?? []) visit(key(m, c.name));
    }
    return reached;
  }

  /** Tests checking a touched column: column tests, relationships to it, and tests of a whole touched model. */
  testsOn(touched: Set<string>): string[] {
    const models = touchedModels(touched);
    const out: string[] = [];
    for (const t of Object.values(this.manifest.tests)) {
      const { node, column } = t.attachedTo;
      const field = typeof t.args.field === 'string' ? t.args.field : undefined;
      const related = t.test === 'relationships' && field ? t.dependsOn.models.filter((m) => m !== node).some((m) => touched.has(key(m, field))) : false;
      const own = column ? touched.has(key(node, column)) : models.has(node);
      const singular = t.kind === 'singular' && t.dependsOn.models.some((m) => models.has(m));
      if (own || related || singular) out.push(t.id);
    }
    return out.sort();
  }

  /** Exposures showing a touched column (or reading a touched model as a whole). */
  exposuresOn(touched: Set<string>): string[] {
    const models = touchedModels(touched);
    const out: string[] = [];
    for (const e of Object.values(this.manifest.exposures ?? {})) {
      const hit = e.depends.some((d) => (d.columns.length ? d.columns.some((c) => touched.has(key(d.model, c))) : models.has(d.model)));
      if (hit) out.push(e.id);
    }
    return out.sort();
  }
}

export interface ImpactParts {
  /** Reached downstream columns as `[model, column]`. */
  columns: Array<[string, string]>;
  tests: string[];
  exposures: string[];
}

/** Impact of `seeds` of `model` in one manifest. */
export function impactIn(index: LineageIndex, model: string, seeds: string[]): ImpactParts {
  const reached = index.reach(model, seeds);
  const touched = new Set([...reached, ...seeds.map((c) => key(model, c))]);
  const columns = [...reached].map((k) => k.split('\u0000') as [string, string]);
  return { columns, tests: index.testsOn(touched), exposures: index.exposuresOn(touched) };
}

function touchedModels(touched: Set<string>): Set<string> {
  return new Set([...touched].map((k) => k.slice(0, k.indexOf('\u0000'))));
}

function push<T>(map: Map<string, T[]>, k: string, v: T): void {
  (map.get(k) ?? map.set(k, []).get(k)!).push(v);
}
