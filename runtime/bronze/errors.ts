/**
 * A user-facing ingestion error: says what went wrong, where, and how to fix it. The CLI prints
 * these without a stack trace; anything else is a bug and keeps its stack.
 */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    message: string,
    readonly details: { code: string; where?: string; hint?: string } = { code: 'INGEST' },
  ) {
    super(message);
  }

  /** One block of text for the terminal: message, location, hint. */
  describe(): string {
    const lines = [`${this.details.code}: ${this.message}`];
    if (this.details.where) lines.push(`  at ${this.details.where}`);
    if (this.details.hint) lines.push(`  hint: ${this.details.hint}`);
    return lines.join('\n');
  }
}

/** A value that does not fit its declared type; `path` locates it inside nested values (`.a[2]`). */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}

/** A short, safe rendering of a value for a quarantine reason (long strings cut). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Date(invalid)' : `Date(${value.toISOString()})`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/** The text of anything thrown, for a reason: `RangeError: Invalid string length`. */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return String(err);
  } catch {
    return 'an unprintable exception';
  }
}
