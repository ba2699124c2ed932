/** A user-facing docs problem: what went wrong, where, and how to fix it (no stack trace). */
export class DocsError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'DocsError';
  }
}
