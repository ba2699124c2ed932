/** A failed node's result: Spark's message (not its Java stack) pointed at the user's file. */
import { existsSync, readFileSync } from 'node:fs';
import { codeFrame } from '../../compiler/diagnostics/frame.js';
import { SparkSqlError } from '../engines/spark/errors.js';
import { StatementFailed } from '../engines/spark/spark-engine.js';
import { locateSparkError } from './error-location.js';
import { OperationFailed } from './model-step.js';
import type { NodeResult } from './results.js';

/** `file` is the node's own file, named when nothing more precise is known. */
export function errorResult(e: unknown, id: string, kind: NodeResult['kind'], name: string, t0: number, file?: string, projectDir?: string): NodeResult {
  const result: NodeResult = { id, kind, name, status: 'error', startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0, message: '' };
  const failed = e instanceof OperationFailed ? e.cause : e;
  const statementFailure = failed instanceof StatementFailed ? failed : undefined;
  const cause = statementFailure ? statementFailure.cause : failed;
  if (cause instanceof SparkSqlError) {
    const cls = cause.info.errorClass ? `[${cause.info.errorClass}] ` : '';
    result.message = `${cls}${cause.info.message}`;
    const at = statementFailure && locateSparkError(cause, statementFailure.statement);
    if (at) {
      result.location = { file: at.file, line: at.line, column: at.column };
      const frame = projectDir ? frameOf(projectDir, at.file, at.line, at.column) : undefined;
      if (frame) result.message += `\n${frame}`;
    } else if (file) result.location = { file };
  } else {
    result.message = cause instanceof Error ? cause.message : String(cause);
    if (file) result.location = { file };
  }
  if (e instanceof OperationFailed && e.phase === 'post') result.message = `post operation ${e.operation.kind} failed (the table was written): ${result.message}`;
  return result;
}

/** A code frame when the user's file is here (a plan run elsewhere may not have sources). */
function frameOf(projectDir: string, file: string, line: number, column: number): string | undefined {
  const path = `${projectDir}/${file}`;
  return existsSync(path) ? codeFrame(readFileSync(path, 'utf8'), line, column) : undefined;
}
