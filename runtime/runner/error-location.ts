/**
 * Points a Spark error at the user's file. Spark reports a line in the statement it ran (the rendered
 * SQL); the model file is a template, so the line is found by its text, or failing that by the
 * identifier Spark quoted (`nope` in UNRESOLVED_COLUMN).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { codeFrame } from '../../compiler/diagnostics/frame.js';
import type { SparkSqlError } from '../engines/spark/errors.js';

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  frame?: string;
}

export function locateSparkError(error: SparkSqlError, projectDir: string, file: string | undefined): ErrorLocation | undefined {
  if (!file) return undefined;
  const path = isAbsolute(file) ? file : join(projectDir, file);
  if (!existsSync(path)) return { file };
  const source = readFileSync(path, 'utf8');
  const lines = source.split(/\r?\n/);
  const found = byStatementLine(error, lines) ?? byQuotedIdentifier(error, lines);
  if (!found) return { file };
  return { file, line: found.line, column: found.column, frame: codeFrame(source, found.line, found.column) };
}

function byStatementLine(error: SparkSqlError, lines: string[]): { line: number; column: number } | undefined {
  const { line, position } = error.info;
  if (!line) return undefined;
  const stmtLine = error.statement.split(/\r?\n/)[line - 1];
  const needle = stmtLine?.trim();
  if (!needle || needle.length < 4) return undefined;
  const matches = lines.flatMap((l, i) => (l.trim() === needle ? [i] : []));
  if (matches.length !== 1) return undefined;
  const i = matches[0]!;
  const indentShift = (lines[i]!.length - lines[i]!.trimStart().length) - (stmtLine!.length - stmtLine!.trimStart().length);
  return { line: i + 1, column: Math.max(1, (position ?? 0) + indentShift + 1) };
}

function byQuotedIdentifier(error: SparkSqlError, lines: string[]): { line: number; column: number } | undefined {
  const quoted = /`([^`]+)`/.exec(error.info.message)?.[1];
  if (!quoted) return undefined;
  const name = quoted.split('.').pop()!;
  const word = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  for (let i = 0; i < lines.length; i++) {
    const m = word.exec(lines[i]!);
    if (m) return { line: i + 1, column: m.index + 1 };
  }
  return undefined;
}
