/**
 * The last known schema of each model's table: `target/table_schemas.json`, written by the runner
 * after each table it built (runtime/runner/schema-change.ts) and read by the compile-time
 * `on_schema_change` check. A compile never writes it; a missing or unreadable file is no knowledge.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ColumnTypeSchema, type ColumnType } from './operations.js';

export const TABLE_SCHEMAS_FILE = 'target/table_schemas.json';

export const TableSchemasSchema = z
  .object({
    version: z.literal(1),
    /** By model id: the table built (`database.table`) and its columns after the build. */
    tables: z.record(z.string(), z.object({ relation: z.string(), columns: z.array(ColumnTypeSchema), builtAt: z.string() }).strict()),
  })
  .strict();
export type TableSchemas = z.infer<typeof TableSchemasSchema>;

export function readTableSchemas(projectDir: string): TableSchemas | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(projectDir, TABLE_SCHEMAS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = TableSchemasSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Records the columns of the tables a run built, keeping the others' entries. */
export function recordTableSchemas(projectDir: string, built: Array<{ id: string; relation: string; columns: ColumnType[] }>): void {
  if (built.length === 0) return;
  const current = readTableSchemas(projectDir) ?? { version: 1 as const, tables: {} };
  const builtAt = new Date().toISOString();
  for (const b of built) current.tables[b.id] = { relation: b.relation, columns: b.columns.map((c) => ({ name: c.name, type: c.type })), builtAt };
  const file = path.join(projectDir, TABLE_SCHEMAS_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(current, null, 2));
  renameSync(`${file}.tmp`, file);
}
