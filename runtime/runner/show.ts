/**
 * `etl show`: a model's SELECT run on Spark against the tables as they are, first rows only, so an
 * analyst sees what the model returns without building it.
 */
import type { Manifest, Plan } from '../../compiler/index.js';
import { quoteIdent } from '../../compiler/emit/spark-dialect.js';
import type { QueryResult } from '../engines/spark/client.js';
import { acquireProjectEngine } from './project-engine.js';

export interface ShowOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  modelId: string;
  limit: number;
}

export async function showModel(opts: ShowOptions): Promise<QueryResult> {
  const model = opts.manifest.models[opts.modelId]!;
  const engine = await acquireProjectEngine(opts.manifest, opts.projectDir);
  try {
    const session = await engine.openSession();
    // Bronze tables the model reads are registered (idempotent) so a fresh warehouse can be read too.
    for (const id of model.dependsOn.sources) {
      const node = opts.plan.nodes[id];
      if (node?.kind === 'source') for (const op of node.operations) await session.execute(op);
    }
    // hive-driver turns DECIMAL and BIGINT into JS numbers; as strings they stay exact.
    const exact = (type: string) => /^(decimal|bigint)/i.test(type);
    const list = model.columns.length ? model.columns.map((c) => (exact(c.type) ? `CAST(${quoteIdent(c.name)} AS STRING) AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ') : '*';
    const result = await session.spark.query(`SELECT ${list} FROM (\n${model.compiledSql}\n) AS etl_show\nLIMIT ${opts.limit}`);
    // Report the model's declared types, not the strings the exact values travelled as.
    const declared = new Map(model.columns.map((c) => [c.name.toLowerCase(), c.type]));
    return { ...result, columns: result.columns.map((c) => ({ name: c.name, type: declared.get(c.name.toLowerCase()) ?? c.type })) };
  } finally {
    await engine.close();
  }
}

/** Rows as an aligned text table; long values are cut so a row fits a terminal line. */
export function formatRows(result: QueryResult, maxWidth = 40): string {
  const text = (v: unknown) => {
    const s = v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s;
  };
  const names = result.columns.map((c) => c.name);
  const cells = result.rows.map((r) => names.map((n) => text(r[n])));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(names), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
