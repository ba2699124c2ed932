/**
 * The one place that says which names and paths may become SQL or files.
 *
 * - Identifiers (model names from file names, `alias`, `database`, source names, source table keys,
 *   bronze table overrides, bronze partition columns, struct field names): `identifierSchema` below
 *   (re-exported by compiler/config/model-config.ts for config keys), letters, digits and `_`, not starting with a digit. They
 *   become table names, `target/` file names and warehouse folders, so nothing else is allowed:
 *   no spaces, quotes, `;`, `.` or `/`.
 * - Column names of source tables: any text without control characters (the dialect quotes them
 *   with backticks and doubles a backtick inside; a newline or NUL in a name is never intended).
 * - Table locations (`location` config): an absolute path or a URI (`s3://bucket/x`), without `.`
 *   or `..` segments and without control characters. A relative location would be resolved under
 *   the layer root, and `..` would leave it.
 *
 * Each check returns undefined when the value is fine, else what is wrong, for a located diagnostic
 * (ETL190 for names, ETL191 for paths) made by the caller, who knows where the value is written.
 */
import { z } from 'zod';

export const IDENTIFIER_RULE = 'letters, digits and _, not starting with a digit';

/** The identifier rule as a schema; compiler/config/model-config.ts re-exports it for config keys. */
export const identifierSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `must be a SQL identifier (${IDENTIFIER_RULE})`);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Shown in hints: the name with every other character replaced by `_`. */
export function identifierLike(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'name';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Why `name` is not an identifier, or undefined. */
export function identifierProblem(name: string): string | undefined {
  if (identifierSchema.safeParse(name).success) return undefined;
  return `'${printable(name)}' is not a valid name: use ${IDENTIFIER_RULE}`;
}

/** Why `name` cannot be a column name, or undefined. */
export function columnNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a column name cannot be empty';
  if (CONTROL.test(name)) return `column name '${printable(name)}' contains a control character (newline, tab, NUL...)`;
  return undefined;
}

/** Why `s` cannot be a name quoted by its system (a Snowflake table): empty or a control character. */
export function plainTextProblem(s: string): string | undefined {
  if (s.length === 0) return 'cannot be empty';
  return CONTROL.test(s) ? `'${printable(s)}' contains a control character` : undefined;
}

/** Why `location` cannot be a table location, or undefined. */
export function locationProblem(location: string): string | undefined {
  if (CONTROL.test(location)) return `location '${printable(location)}' contains a control character`;
  const uri = /^([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(location);
  if (!uri && !location.startsWith('/')) return `location '${location}' is relative: it must be absolute (/data/x) or a URI (s3://bucket/x)`;
  const rest = uri ? location.slice(uri[0].length) : location;
  if (rest.split(/[/\\]/).some((s) => s === '..' || s === '.')) return `location '${location}' contains a '.' or '..' segment`;
  return undefined;
}

/** Why `p` cannot be a folder below a root (no absolute path, no `..`), or undefined. */
export function relativePathProblem(p: string): string | undefined {
  if (CONTROL.test(p)) return `'${printable(p)}' contains a control character`;
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return `'${p}' is absolute: it must be a folder below the directory`;
  if (p.split(/[/\\]/).some((s) => s === '..')) return `'${p}' leaves its directory through '..'`;
  return undefined;
}

/** A zod string refined by one of the checks above (for config schemas). */
export const checkedString = (problem: (s: string) => string | undefined) =>
  z.string().superRefine((s, ctx) => {
    const p = problem(s);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });

/** `location` config: absolute or a URI, no `..`. */
export const locationSchema = checkedString(locationProblem);

/** The text with control characters shown as escapes, so a message never spans lines. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
