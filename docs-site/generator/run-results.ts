/**
 * Reads target/run_results.json defensively: the runners write it, its shape may grow, and a bad
 * or partial file must never stop the docs from generating. Accepts the local runner's
 * `{generatedAt, results: [{id, status, durationMs, failures}]}`, the EMR runner's
 * `{endedAt, results: [{model, status, tests: [{id, status}]}]}` (tests nested in models), dbt-style
 * `unique_id` / `execution_time`, and `{results|nodes: {<id>: {...}}}` maps.
 */
import { readFile } from 'node:fs/promises';
import type { RunStatus } from '../shared/site-data.js';

export interface NodeRunResult {
  status: RunStatus;
  message?: string;
  failures?: number;
  executionTime?: number;
}

export interface RunResults {
  generatedAt?: string;
  byId: Map<string, NodeRunResult>;
}

const STATUS: Record<string, RunStatus> = {
  success: 'success',
  succeeded: 'success',
  ok: 'success',
  passed: 'pass',
  pass: 'pass',
  error: 'error',
  failed: 'fail',
  fail: 'fail',
  'runtime error': 'error',
  warn: 'warn',
  warning: 'warn',
  skipped: 'skipped',
  skip: 'skipped',
  cancelled: 'skipped',
};

export function normaliseStatus(raw: unknown): RunStatus {
  if (typeof raw !== 'string') return 'unknown';
  return STATUS[raw.trim().toLowerCase()] ?? 'unknown';
}

function entryOf(raw: unknown): NodeRunResult | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const result: NodeRunResult = { status: normaliseStatus(r.status) };
  if (typeof r.message === 'string') result.message = r.message.slice(0, 2000);
  const failures = r.failures ?? r.failing_rows ?? r.failingRows;
  if (typeof failures === 'number' && Number.isFinite(failures)) result.failures = failures;
  const seconds = r.execution_time ?? r.executionTime ?? r.duration_seconds;
  const ms = r.durationMs ?? r.duration_ms;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) result.executionTime = seconds;
  else if (typeof ms === 'number' && Number.isFinite(ms)) result.executionTime = ms / 1000;
  return result;
}

export function parseRunResults(data: unknown, warnings: string[], where = 'run_results.json'): RunResults {
  const out: RunResults = { byId: new Map() };
  if (!data || typeof data !== 'object') {
    warnings.push(`${where}: not a JSON object; run status is not shown`);
    return out;
  }
  const d = data as Record<string, unknown>;
  const at = d.generatedAt ?? d.generated_at ?? d.endedAt ?? d.finished_at ?? (d.metadata as Record<string, unknown> | undefined)?.generated_at;
  if (typeof at === 'string') out.generatedAt = at;
  const results = d.results ?? d.nodes;
  let skipped = 0;
  const take = (list: unknown[]) => {
    for (const raw of list) {
      const r = raw as Record<string, unknown> | null;
      const id = r && typeof r === 'object' ? (r.unique_id ?? r.id ?? r.node ?? r.nodeId ?? r.model) : undefined;
      const entry = entryOf(raw);
      if (typeof id !== 'string' || !entry) {
        skipped++;
        continue;
      }
      out.byId.set(id, entry);
      // The EMR runner nests each model's test results inside the model's entry.
      if (Array.isArray(r!.tests)) take(r!.tests);
    }
  };
  if (Array.isArray(results)) {
    take(results);
  } else if (results && typeof results === 'object') {
    for (const [id, raw] of Object.entries(results)) {
      const entry = entryOf(raw);
      if (entry) out.byId.set(id, entry);
      else skipped++;
    }
  } else {
    warnings.push(`${where}: no "results" list; run status is not shown`);
  }
  if (skipped) warnings.push(`${where}: ${skipped} entr${skipped === 1 ? 'y' : 'ies'} without a node id or status were skipped`);
  return out;
}

export async function readRunResults(path: string, warnings: string[], shownAs = path): Promise<RunResults | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${shownAs}: ${(err as Error).message}; run status is not shown`);
    return undefined;
  }
  try {
    return parseRunResults(JSON.parse(text), warnings, shownAs);
  } catch (err) {
    warnings.push(`${shownAs} is not valid JSON (${(err as Error).message}); run status is not shown`);
    return undefined;
  }
}
