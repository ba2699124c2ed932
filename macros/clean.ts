/**
 * Cleaning and validation helpers shared by the silver models, registered as Handlebars helpers
 * by export name: `{{normalize_email "customer_email"}}`. Each returns a Spark SQL expression, so
 * every model cleans and validates a given kind of value the same way.
 */

/** Lower-case letters, digits and . _ % + - before the @; dot-separated labels and a 2+ letter TLD after. */
export const EMAIL_PATTERN = '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$';

/** Identifiers: surrounding blanks removed; a blank id is no id (null), so not_null tests see it. */
export function clean_key(column: string): string {
  return `nullif(trim(${column}), '')`;
}

/** Free text: trimmed, empty strings become null. */
export function clean_text(column: string): string {
  return `nullif(trim(${column}), '')`;
}

/** Codes such as currencies and countries: trimmed and upper-cased. */
export function clean_code(column: string): string {
  return `upper(trim(${column}))`;
}

/** Enumerated labels (statuses, categories, reasons): trimmed and lower-cased. */
export function clean_label(column: string): string {
  return `lower(trim(${column}))`;
}

export function normalize_email(column: string): string {
  return `lower(trim(${column}))`;
}

/** True when `column` (already normalised) looks like an email address; false for null. */
export function is_valid_email(column: string): string {
  return `coalesce(${column} RLIKE '${EMAIL_PATTERN}', false)`;
}

