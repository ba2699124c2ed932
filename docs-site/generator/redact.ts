/**
 * Source settings are shown, secrets never. Secrets in a manifest are only `{ env: NAME }` (names of
 * environment variables); those are kept as they are. As a guard against a hand-edited manifest, any
 * other value under a key that looks secret is replaced, and any string shaped like a credential
 * (a URL with user:password@, a PEM key, an AWS key, a JWT, password=...: the compiler's own scan,
 * compiler/security/credential-scan.ts) is masked, and each is reported.
 */
import { maskCredentials, scanCredentials } from '../../compiler/security/credential-scan.js';
import { SECRET_KEY } from '../../compiler/security/declared-secrets.js';

export const REDACTED = '[redacted]';

export function isEnvRef(value: unknown): value is { env: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { env?: unknown }).env === 'string'
  );
}

export function redactSecrets(value: unknown, path: string, warnings: string[]): unknown {
  if (isEnvRef(value)) return { env: value.env };
  if (typeof value === 'string' && scanCredentials(value).length) {
    warnings.push(`${path} holds a credential-shaped value; it is masked in the docs (declare secrets with env("NAME") instead)`);
    return maskCredentials(value);
  }
  if (Array.isArray(value)) return value.map((v, i) => redactSecrets(v, `${path}[${i}]`, warnings));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = `${path}.${k}`;
      if (SECRET_KEY.test(k) && !isEnvRef(v) && (typeof v === 'string' || typeof v === 'number') && k !== 'kind') {
        warnings.push(`${p} holds a literal value under a secret-looking key; it is hidden in the docs (declare it with env("NAME") instead)`);
        out[k] = REDACTED;
      } else {
        out[k] = redactSecrets(v, p, warnings);
      }
    }
    return out;
  }
  return value;
}
