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
