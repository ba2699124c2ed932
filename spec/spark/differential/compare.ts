/** Compares the compiler's output columns with Spark's, column by column, and sums up the agreement. */
import type { CompiledQuery, OutputColumn } from './corpus.js';
import type { SparkAnswer } from './spark-schemas.js';

export interface Disagreement {
  /** `<query id>` for a whole query, `<query id>.<column>` for one column. */
  key: string;
  where: string;
  what: string;
}

export interface Agreement {
  columns: { agree: number; total: number };
  queries: { agree: number; total: number };
  /** Queries Spark accepts and the compiler rejects. */
  falseRejections: number;
  /** Queries Spark rejects: the corpus itself is wrong. */
  sparkRejects: Disagreement[];
  disagreements: Disagreement[];
}

const show = (c: OutputColumn) => `${c.type}${c.nullable ? '' : ' NOT NULL'}`;

export function compare(compiled: CompiledQuery[], spark: Map<string, SparkAnswer>): Agreement {
  const out: Agreement = { columns: { agree: 0, total: 0 }, queries: { agree: 0, total: 0 }, falseRejections: 0, sparkRejects: [], disagreements: [] };
  for (const c of compiled) {
    const where = `${c.query.file}:${c.query.line}`;
    const answer = spark.get(c.query.id);
    if (!answer) throw new Error(`no Spark answer for ${c.query.id}`);
    if ('error' in answer) {
      out.sparkRejects.push({ key: c.query.id, where, what: `Spark rejects the query: ${answer.error}` });
      continue;
    }
    out.queries.total++;
    out.columns.total += answer.fields.length;
    if (!c.columns) {
      out.falseRejections++;
      out.disagreements.push({ key: c.query.id, where, what: `the compiler rejects a query Spark accepts: ${c.errors.join('; ')}` });
      continue;
    }
    if (c.columns.length !== answer.fields.length) {
      out.disagreements.push({ key: c.query.id, where, what: `${c.columns.length} columns from the compiler, ${answer.fields.length} from Spark (${answer.fields.map((f) => f.name).join(', ')})` });
      continue;
    }
    let all = true;
    answer.fields.forEach((s, i) => {
      const mine = c.columns![i]!;
      if (mine.type === s.type && mine.nullable === s.nullable) {
        out.columns.agree++;
        return;
      }
      all = false;
      out.disagreements.push({ key: `${c.query.id}.${s.name}`, where, what: `compiler ${show(mine)}, Spark ${show(s)}` });
    });
    if (all) out.queries.agree++;
  }
  return out;
}

export function summary(a: Agreement): string {
  const pct = (x: { agree: number; total: number }) => (x.total ? ((100 * x.agree) / x.total).toFixed(1) : '0');
  return [
    `columns agreeing with Spark: ${a.columns.agree}/${a.columns.total} (${pct(a.columns)}%)`,
    `queries agreeing in every column: ${a.queries.agree}/${a.queries.total} (${pct(a.queries)}%)`,
    `queries the compiler rejects that Spark accepts: ${a.falseRejections}`,
  ].join('\n');
}
