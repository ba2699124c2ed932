/**
 * Salesforce object -> bronze through jsforce: SystemModstamp windows, queryAll so deleted records
 * arrive flagged, every REST page followed explicitly (no 10,000-row cap), Bulk API 2.0 when a window
 * holds more than the bulk threshold, a /limits check first, and REQUEST_LIMIT_EXCEEDED ending the run
 * cleanly at the last committed window.
 */
import type { Connection } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2.js';
import type { SalesforceExtract } from './definition.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import type { JobContext, JobResult } from '../../runtime/ingest/job-context.js';
import { runWindowedJob, SourceLimitReached, type WindowSource } from '../../runtime/ingest/window-loop.js';
import type { TypeFamily } from '../../runtime/ingest/drift.js';
import { connectSalesforce } from './connection.js';
import { jobRetry } from '../../runtime/ingest/retry-policy.js';

const MIN_API_REQUESTS = Number(process.env.ETL_SALESFORCE_MIN_API_REQUESTS ?? 50);

export async function runSalesforceJob(ctx: JobContext): Promise<JobResult> {
  const extract = ctx.job.extract as SalesforceExtract; // the registry dispatched this job here by its system
  const conn = await connectSalesforce(ctx.job, ctx.env, jobRetry(ctx));
  const limits = await call(() => conn.request<Record<string, { Max: number; Remaining: number }>>(`/services/data/v${conn.version}/limits`));
  const remaining = limits.DailyApiRequests?.Remaining;
  if (remaining !== undefined && remaining < MIN_API_REQUESTS) {
    throw new IngestError(`${ctx.job.id}: only ${remaining} Salesforce API requests left today (of ${limits.DailyApiRequests!.Max})`, {
      code: 'INGEST_SALESFORCE_LIMIT',
      hint: 'run later, or lower ETL_SALESFORCE_MIN_API_REQUESTS if this is expected',
    });
  }
  const result = await runWindowedJob(ctx, salesforceWindowSource(conn, extract), extract.windowSeconds);
  result.warnings.push(...(remaining !== undefined ? [] : ['the /limits endpoint did not report DailyApiRequests']));
  return result;
}

/** SOQL datetime literal (Salesforce keeps milliseconds). */
const literal = (iso: string) => iso.replace(/(\.\d{3})\d*Z$/, '$1Z');

/**
 * Runs the SOQL the job spec carries, with only `{start}` and `{end}` filled in. SOQL has no
 * `SELECT *`, so when drift changes the field list (a declared field is gone, or quarantine wants
 * the new ones) the same statement is written with that list instead.
 */
function salesforceWindowSource(conn: Connection, extract: SalesforceExtract): WindowSource {
  const api = `/services/data/v${conn.version}`;
  const endpoint = extract.includeDeleted ? 'queryAll' : 'query';
  const window = (template: string, start: string, end: string) => template.replace('{start}', literal(start)).replace('{end}', literal(end));
  const asDeclared = (fields: string[]) => fields.length === extract.fields.length && fields.every((f, i) => f === extract.fields[i]);
  const cursor = extract.cursorField;
  const withFields = (fields: string[], where: string) => `SELECT ${fields.join(', ')} FROM ${extract.object}${where}`;
  const whereWindow = ` WHERE ${cursor} >= {start} AND ${cursor} < {end}`;
  const windowSoql = (fields: string[]) => (asDeclared(fields) ? extract.windowSoql : `${withFields(fields, whereWindow)} ORDER BY ${cursor}`);
  const bulkSoql = (fields: string[]) => (asDeclared(fields) ? extract.bulkWindowSoql : withFields(fields, whereWindow));

  async function* pages(soql: string): AsyncIterable<Record<string, unknown>> {
    let page = await call(() => conn.request<QueryPage>(`${api}/${endpoint}?q=${encodeURIComponent(soql)}`));
    for (;;) {
      for (const record of page.records) yield record;
      if (page.done || !page.nextRecordsUrl) return;
      const next = page.nextRecordsUrl;
      page = await call(() => conn.request<QueryPage>(next));
    }
  }

  async function* bulk(soql: string): AsyncIterable<Record<string, unknown>> {
    const job = new QueryJobV2(conn as never, {
      bodyParams: { query: soql, operation: extract.includeDeleted ? 'queryAll' : 'query' },
      pollingOptions: { pollInterval: Number(process.env.ETL_SALESFORCE_BULK_POLL_MS ?? 1000), pollTimeout: 30 * 60_000 },
    } as never);
    await call(() => job.open());
    await call(() => job.poll());
    // Page through results ourselves so only one page is in memory (jsforce's result() buffers them all).
    const request = (job as unknown as { createQueryRequest(r: object): Promise<Array<Record<string, string>>> }).createQueryRequest.bind(job);
    let locator: string | undefined;
    do {
      const path = `/${job.id}/results?maxRecords=50000${locator ? `&locator=${locator}` : ''}`;
      const rows = await call(() => request({ method: 'GET', path, headers: { Accept: 'text/csv' } }));
      for (const row of rows) yield fromCsv(row);
      locator = (job as unknown as { locator?: string }).locator;
    } while (locator && locator !== 'null');
    await job.delete().catch(() => {});
  }

  return {
    caseInsensitiveNames: true,
    ...(extract.deletedField ? { deletedField: extract.deletedField } : {}),
    async observedColumns() {
      const d = await call(() => conn.request<{ fields: Array<{ name: string; type: string }> }>(`${api}/sobjects/${extract.object}/describe`));
      return d.fields.map((f) => ({ name: f.name, type: f.type, family: family(f.type) }));
    },
    async nextCursor(start, end) {
      const first = (await call(() => conn.request<QueryPage>(`${api}/${endpoint}?q=${encodeURIComponent(window(extract.nextCursorSoql, start, end))}`))).records[0];
      return first ? (first.expr0 ?? undefined) : undefined;
    },
    async *rows(start, end, fields) {
      const count = (await call(() => conn.request<QueryPage>(`${api}/${endpoint}?q=${encodeURIComponent(window(extract.countSoql, start, end))}`))).totalSize;
      if (count > extract.bulkThreshold) yield* bulk(window(bulkSoql(fields), start, end));
      else yield* pages(window(windowSoql(fields), start, end));
    },
    async *allRows(fields) {
      yield* pages(asDeclared(fields) ? extract.fullSoql : withFields(fields, ''));
    },
    close: async () => {},
  };
}

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/** Bulk CSV has no nulls, only empty cells. */
function fromCsv(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v === '' ? null : v;
  return out;
}

/** Maps jsforce errors: REQUEST_LIMIT_EXCEEDED ends the run cleanly; others become clear errors. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { errorCode?: string; name?: string; message?: string };
    const code = e.errorCode ?? e.name;
    if (code === 'REQUEST_LIMIT_EXCEEDED') throw new SourceLimitReached(`Salesforce API request limit reached: ${e.message}`);
    if (err instanceof IngestError) throw err;
    throw new IngestError(`Salesforce request failed (${code ?? 'error'}): ${e.message}`, { code: 'INGEST_SALESFORCE_REQUEST' });
  }
}

function family(type: string): TypeFamily {
  switch (type) {
    case 'int':
      return 'integer';
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    default:
      return 'string';
  }
}
