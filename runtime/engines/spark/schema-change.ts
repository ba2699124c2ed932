/** A Delta table's columns as the catalog has them (DESCRIBE TABLE), for `on_schema_change`. */
import { relationSql } from '../../../compiler/emit/spark-dialect.js';
import type { ColumnType, Relation } from '../../../compiler/plan/operations.js';
import type { SparkSession } from './client.js';

export async function describeColumns(spark: SparkSession, relation: Relation): Promise<ColumnType[]> {
  const { rows } = await spark.query(`DESCRIBE TABLE ${relationSql(relation)}`);
  const out: ColumnType[] = [];
  for (const row of rows) {
    const name = String(row.col_name ?? '').trim();
    // Partition information and other sections follow the columns after an empty or `#` row.
    if (name === '' || name.startsWith('#')) break;
    out.push({ name, type: String(row.data_type ?? '').trim() });
  }
  return out;
}
