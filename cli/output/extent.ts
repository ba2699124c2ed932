/**
 * The region a diagnostic covers, for CI formats that want a start and an end. Diagnostics carry
 * line and column (1-based); when they also carry `endLine`/`endColumn` those are used, otherwise the
 * region is the token that starts at the column in the user's file (a `{{...}}` tag, a name, a
 * number, a quoted string), or the one character there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';

/** 1-based; `endColumn` is exclusive (the column after the last character), as SARIF defines it. */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

type Ranged = Diagnostic & { endLine?: number; endColumn?: number };

const TOKEN = /^(?:\{\{[^}]*\}\}|[\p{L}\p{N}_$.]+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`)/u;

/** Reads each user file once per report. */
export function fileLines(projectDir: string): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(path.resolve(projectDir, file), 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export function diagnosticRegion(d: Ranged, lines: (file: string) => string[] | undefined): Region | undefined {
  if (!d.file || !d.line) return undefined;
  const startColumn = d.column ?? 1;
  if (d.endLine && d.endColumn) return { startLine: d.line, startColumn, endLine: d.endLine, endColumn: d.endColumn };
  const text = lines(d.file)?.[d.line - 1] ?? '';
  const token = TOKEN.exec(text.slice(startColumn - 1))?.[0];
  return { startLine: d.line, startColumn, endLine: d.line, endColumn: startColumn + Math.max(1, token?.length ?? 1) };
}
