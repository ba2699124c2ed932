/**
 * A restore refused or impossible as asked: a diagnostic (code, message, the user's file and line
 * when one is to blame, a hint). The CLI prints it without a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { codeFrame } from '../../compiler/diagnostics/frame.js';

export type RestoreErrorCode =
  | 'RESTORE_UNKNOWN_MODEL'
  | 'RESTORE_NOT_A_TABLE'
  | 'RESTORE_DEFERRED'
  | 'RESTORE_NO_POINT'
  | 'RESTORE_BAD_TIMESTAMP'
  | 'RESTORE_NEVER_BUILT'
  | 'RESTORE_PRIMARY_LOST'
  | 'RESTORE_BEFORE_FIRST_VERSION'
  | 'RESTORE_NO_SUCH_VERSION'
  | 'RESTORE_NO_REPLICA'
  | 'RESTORE_REPLICA_OUTSIDE'
  | 'RESTORE_UNSUPPORTED';

export class RestoreError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(
    readonly code: RestoreErrorCode,
    message: string,
    hint: string,
    at?: { projectDir: string; file: string; line: number; column: number },
  ) {
    super(message);
    this.name = 'RestoreError';
    this.diagnostic = { code, severity: 'error', message, hint, ...(at ? located(at) : {}) };
  }
}

function located(at: { projectDir: string; file: string; line: number; column: number }): Pick<Diagnostic, 'file' | 'line' | 'column' | 'frame'> {
  const path = join(at.projectDir, at.file);
  const frame = existsSync(path) ? codeFrame(readFileSync(path, 'utf8'), at.line, at.column) : undefined;
  return { file: at.file, line: at.line, column: at.column, ...(frame ? { frame } : {}) };
}

/** Where `word` first appears in a project file (1-based), e.g. a model's `materialized` config. */
export function findInFile(projectDir: string, file: string, word: string): { line: number; column: number } | undefined {
  const path = join(projectDir, file);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf(word);
    if (at >= 0) return { line: i + 1, column: at + 1 };
  }
  return undefined;
}
