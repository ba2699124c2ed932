/**
 * One zod schema per source declaration: the keys every source and table has, plus the system's
 * own connection and table keys from its connector. Problems become diagnostics at the key (or
 * value) the user wrote in sources/*.ts, with a "did you mean" from the schema itself.
 */
import { z } from 'zod';
import { isColumnBuilder } from '../api/columns.js';
import { allowedKeys, issueFacts, type IssueFact } from '../config/issues.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { durationSchema, type ConnectorDefinition } from '../../connectors/definition.js';
import { driftPolicySchema } from '../../connectors/job-spec.js';
import { scheduleSchema } from '../config/schedule.js';
import { identifierLike, identifierSchema, IDENTIFIER_RULE } from '../security/names.js';
import type { DeclarationKeys } from './declaration-positions.js';

const columnSchema = z.custom<unknown>(isColumnBuilder, { error: 'expected a typed column such as t.string() or t.decimal(18, 2)' });

const freshnessSchema = z.strictObject({
  loadedAtColumn: z.string().optional(),
  warnAfter: durationSchema.optional(),
  errorAfter: durationSchema.optional(),
});

/** Keys every table of every system has. */
const tableCommonShape = {
  description: z.string().optional(),
  columns: z.record(z.string(), columnSchema),
  cursor: z.string().optional(),
  freshness: freshnessSchema.optional(),
  /** When production ingests it: hourly, daily or a cron string (compiler/config/schedule.ts). */
  schedule: scheduleSchema.optional(),
  bronze: z.strictObject({ partitionBy: z.array(identifierSchema).min(1).optional(), table: identifierSchema.optional() }).optional(),
  drift: driftPolicySchema.optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()).optional(),
};

const COMMON_TABLE_KEYS = new Set(Object.keys(tableCommonShape));

export function tableSchemaFor(connector: ConnectorDefinition) {
  return z.strictObject({ ...tableCommonShape, ...connector.table.shape });
}

/** The declaration without its tables' contents (each table is checked on its own, so one bad table does not hide the others). */
export function sourceSchemaFor(connector: ConnectorDefinition) {
  return z.strictObject({
    name: identifierSchema,
    system: z.literal(connector.system),
    description: z.string().optional(),
    owner: z.string().optional(),
    connection: connector.connection,
    tables: z.record(z.string(), z.unknown()),
  });
}

export type TableDeclaration = z.output<ReturnType<typeof tableSchemaFor>>;

/** The system's own keys of a parsed table (what the manifest keeps as `settings`). */
export function systemSettings(table: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table).filter(([key]) => !COMMON_TABLE_KEYS.has(key)));
}

export interface DeclarationSite {
  file: string;
  text: string;
  keys: DeclarationKeys;
  sourceName: string;
}

/** Diagnostics for a failed parse of the value at `prefix` (`[]` for the source, `['tables', name]` for a table). */
export function declarationDiagnostics(schema: z.ZodType, data: unknown, error: z.ZodError, prefix: Array<string | number>, site: DeclarationSite, reported: ReadonlySet<string> = new Set()): Diagnostic[] {
  const facts = issueFacts(schema, data, error).filter((fact) => !reported.has([...prefix, ...fact.path].join('.')));
  return facts.map((fact) => {
    const path = [...prefix, ...fact.path];
    const missing = !fact.unknownKey && valueAt(data, fact.path) === undefined;
    const pos = site.keys.positionOf(fact.unknownKey ? [...path, fact.unknownKey] : path, fact.unknownKey || missing ? 'key' : 'value');
    return {
      code: codeFor(path, fact),
      severity: 'error' as const,
      message: messageFor(path, fact, missing, site.sourceName),
      file: site.file,
      ...pos,
      frame: codeFrame(site.text, pos.line, pos.column),
      hint: hintFor(schema, data, fact, missing),
    };
  });
}

function codeFor(path: Array<string | number>, fact: IssueFact): string {
  if (fact.message.includes(IDENTIFIER_RULE)) return 'ETL190';
  if (path[0] === 'tables' && path[2] === 'columns' && path.length > 3) return 'ETL114';
  if (path[0] === 'tables' && path[2] === 'freshness' && !fact.unknownKey) return 'ETL116';
  return fact.unknownKey ? 'ETL117' : 'ETL118';
}

/** "table kafka.user_events", "the connection of source kafka", ... */
function placeOf(path: Array<string | number>, sourceName: string): string {
  if (path[0] === 'tables' && path.length >= 2) {
    const rest = path.slice(2);
    return `${rest.length ? `${rest.join('.')} of ` : ''}table ${sourceName}.${String(path[1])}`;
  }
  return path.length ? `${path.join('.')} of source ${sourceName}` : `source ${sourceName}`;
}

function messageFor(path: Array<string | number>, fact: IssueFact, missing: boolean, sourceName: string): string {
  if (fact.unknownKey) return `Unknown key '${fact.unknownKey}' in ${placeOf(path, sourceName)}`;
  if (missing) return `Missing ${placeOf(path, sourceName)}`;
  return `Invalid ${placeOf(path, sourceName)}: ${fact.message}`;
}

function hintFor(schema: z.ZodType, data: unknown, fact: IssueFact, missing: boolean): string {
  if (fact.suggestion) return fact.suggestion;
  if (fact.message.includes(IDENTIFIER_RULE)) return `Names become SQL identifiers and paths: use ${IDENTIFIER_RULE}${typeof valueAt(data, fact.path) === 'string' ? `, e.g. ${identifierLike(String(valueAt(data, fact.path)))}` : ''}.`;
  if (fact.unknownKey) return `Allowed keys here: ${allowedKeys(schema, data, fact.path).join(', ')}.`;
  if (missing) return `Add it: ${fact.message.replace(/, received undefined$/, '')}.`;
  return 'See "Sources (sources/*.ts)" in README.md for each system\'s keys.';
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}
