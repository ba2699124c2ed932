/** A failed node's result: Spark's message (not its Java stack) pointed at the user's file. */
import { SparkSqlError } from '../engines/spark/errors.js';
import { locateSparkError } from './error-location.js';
import type { NodeResult } from './results.js';

export function errorResult(e: unknown, id: string, kind: NodeResult['kind'], name: string, t0: number, projectDir: string, file?: string): NodeResult {
  const result: NodeResult = { id, kind, name, status: 'error', startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0, message: '' };
  if (e instanceof SparkSqlError) {
    const cls = e.info.errorClass ? `[${e.info.errorClass}] ` : '';
    result.message = `${cls}${e.info.message}`;
    const loc = locateSparkError(e, projectDir, file);
    if (loc) {
      result.location = { file: loc.file, ...(loc.line ? { line: loc.line } : {}), ...(loc.column ? { column: loc.column } : {}) };
      if (loc.frame) result.message += `\n${loc.frame}`;
    }
  } else {
    result.message = e instanceof Error ? e.message : String(e);
    if (file) result.location = { file };
  }
  return result;
}

