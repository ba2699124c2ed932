/**
 * Secrets never leave a run: every value a job's connection resolved from the environment
 * (`env('NAME')`) becomes `***` in errors, progress lines and run records, and so do credential
 * shapes an upstream may echo in an error body (bearer tokens, `refresh_token=`, `client_secret=`,
 * `"access_token": "..."`, URL user-info, PEM blocks), whoever resolved them. One function,
 * applied where run-ingestion.ts formats errors and progress and where it writes the run record.
 */
import { isEnvRef } from './secrets.js';

export const MASK = '***';

/** Values shorter than this are not masked by value (they would mask ordinary words); shapes still apply. */
const MIN_SECRET_LENGTH = 4;

const CREDENTIAL_KEYS = 'refresh_token|client_secret|access_token|id_token|password|passwd|passphrase|private_key|privateKey|assertion|client_assertion|api_key|apikey|secret|token|sessionToken|masterToken';

const SHAPES: Array<[RegExp, string]> = [
  // PEM blocks, also cut off ones.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, MASK],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[^\s"',;]{6,}/gi, `$1 ${MASK}`],
  [/(Snowflake Token=)"?[^"\s,]+"?/gi, `$1"${MASK}"`],
  // Form and query parameters: refresh_token=..., client_secret=...
  [new RegExp(`\\b(${CREDENTIAL_KEYS})=[^&\\s"',;)]+`, 'gi'), `$1=${MASK}`],
  // JSON members: "refresh_token": "..."
  [new RegExp(`("(?:${CREDENTIAL_KEYS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${MASK}"`],
  // URL user-info: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${MASK}@`],
];

/** Every value the connection's `env('NAME')` references resolve to in `env`. */
export function resolvedSecrets(connection: unknown, env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (isEnvRef(value)) {
      const v = env[value.env];
      if (v) out.add(v);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(connection);
  return [...out];
}

export type Redactor = (text: string) => string;

/** A redactor for these secret values (and their URL-, form- and JSON-encoded forms) plus credential shapes. */
export function redactor(secrets: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(new URLSearchParams({ x: s }).toString().slice(2));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first, so a secret that contains another is masked whole.
  const values = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
    return out;
  };
}

/** A copy of `value` with every string (keys left alone) passed through `redact`. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
