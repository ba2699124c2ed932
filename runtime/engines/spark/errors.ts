/**
 * Turns what the Thrift server returns for a failed statement (a HiveSQLException wrapping a
 * Spark exception, its logical plan and a Java stack) into the one message a user needs.
 */

export interface SparkErrorInfo {
  /** Spark error class, e.g. TABLE_OR_VIEW_NOT_FOUND, UNRESOLVED_COLUMN.WITH_SUGGESTION. */
  errorClass?: string;
  /** Exception kind: AnalysisException, ParseException, SparkException... */
  kind?: string;
  sqlState?: string;
  /** First line of Spark's message, without the plan and the Java stack. */
  message: string;
  /** Further lines of Spark's message, if any (hints, suggestions). */
  detail?: string;
  /** 1-based line in the statement, when Spark gave one. */
  line?: number;
  /** 0-based character position in that line. */
  position?: number;
}

export class SparkSqlError extends Error {
  readonly info: SparkErrorInfo;
  readonly statement: string;
  constructor(info: SparkErrorInfo, statement: string) {
    super(info.message);
    this.name = 'SparkSqlError';
    this.info = info;
    this.statement = statement;
  }
}

const WRAPPERS = [
  /^org\.apache\.hive\.service\.cli\.HiveSQLException:\s*/,
  /^Error running query:\s*/,
  /^\[[A-Z0-9_.]+\]\s*(?=[a-z]+\.)/, // the error class is repeated before the exception name
];

export function parseSparkError(raw: string, sqlState?: string | null): SparkErrorInfo {
  let text = raw.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of WRAPPERS) {
      const next = text.replace(re, '');
      if (next !== text) {
        text = next;
        changed = true;
      }
    }
  }
  // Drop the Java stack.
  const stackAt = text.search(/\n\s*at [\w$.]+\(/);
  if (stackAt >= 0) text = text.slice(0, stackAt);
  let kind: string | undefined;
  // A failed job wraps the task's own exception: report that one.
  const task = /most recent failure: [^\n]*?\(TID \d+\) \([^)]*\):\s*/.exec(text);
  if (task) text = text.slice(task.index + task[0].length);
  const exception = /^((?:[a-z_$][\w$]*\.)+)([A-Z][\w$]*(?:Exception|Error)):\s*/.exec(text);
  if (exception) {
    kind = exception[2];
    text = text.slice(exception[0].length);
  }
  const errorClassMatch = /^\[([A-Z0-9_.]+)\]\s*/.exec(text);
  const errorClass = errorClassMatch?.[1];
  if (errorClassMatch) text = text.slice(errorClassMatch[0].length);

  // ParseException carries "(line 1, pos 7)" and a "== SQL ==" excerpt; AnalysisException "; line 1 pos 21;"
  // followed by the logical plan.
  let line: number | undefined;
  let position: number | undefined;
  const pos = /[;(]\s*line (\d+),? pos (\d+)\)?/.exec(text);
  if (pos) {
    line = Number(pos[1]);
    position = Number(pos[2]);
  }
  let message = text;
  const sqlBlock = message.indexOf('\n== SQL');
  if (sqlBlock >= 0) message = message.slice(0, sqlBlock);
  if (pos && pos.index >= 0 && pos.index < message.length) message = message.slice(0, pos.index);
  else {
    // Plans start on a new line after ";" (AnalysisException) — keep only the message.
    const plan = message.search(/;\s*\n/);
    if (plan >= 0) message = message.slice(0, plan);
  }
  message = message.trim().replace(/[.;]$/, '');
  // Spark hard-wraps some messages: the first sentence may span several lines.
  const lines = message.split('\n');
  let take = 1;
  while (take < lines.length && !/[.!?\]]\s*$/.test(lines[take - 1] ?? '')) take++;
  const first = lines.slice(0, take).join(' ');
  const rest = lines.slice(take);
  return {
    ...(rest.length ? { detail: rest.join('\n').trim() } : {}),
    ...(errorClass ? { errorClass } : {}),
    ...(kind ? { kind } : {}),
    ...(sqlState ? { sqlState } : {}),
    message: /[.!?]$/.test(first.trim()) ? first.trim() : `${first.trim()}.`,
    ...(line !== undefined ? { line } : {}),
    ...(position !== undefined ? { position } : {}),
  };
}
