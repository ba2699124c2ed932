/** Diagnostics are data: a stable code, a position in the user's own file, a frame and a hint. */
export type DiagnosticSeverity = 'error' | 'warning';

export interface SourcePosition {
  /** Path relative to the project root. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface Diagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** A few lines of the file around the position with a caret under the column. */
  frame?: string;
  hint?: string;
  /** Other places involved (the other duplicate, each link of a cycle...). */
  related?: Array<SourcePosition & { message: string }>;
}

/** Collects diagnostics across the whole project so they are all reported together. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
  /** Stable order: by file, line, column, code. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(
      (a, b) =>
        (a.file ?? '').localeCompare(b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        a.code.localeCompare(b.code),
    );
  }
}
