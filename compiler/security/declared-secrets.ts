/**
 * Secrets in source declarations: a secret position (a key named like password, passphrase, secret,
 * token, private key, API key, credential) takes only `env('NAME')`, the name of an environment
 * variable read where `etl ingest` runs; a literal there is ETL193. Any other string of the
 * declaration shaped like a credential (`https://user:pass@host`, a PEM block, an AWS key, a JWT,
 * `password=...`) is ETL194. Either would be copied into target/manifest.json and
 * target/ingestion/*.json, and from there to S3 on an EMR build.
 */
import { isColumnBuilder } from '../api/columns.js';
import { CREDENTIAL_DESCRIPTIONS, scanCredentials } from './credential-scan.js';

export const SECRET_KEY = /pass(word|phrase)?|secret|token|private.?key|api.?key|credential/i;

export interface SecretFinding {
  code: 'ETL193' | 'ETL194';
  /** Key path inside the declaration (`['connection', 'auth', 'password']`). */
  path: Array<string | number>;
  message: string;
  hint: string;
}

export const isEnvRef = (v: unknown): v is { env: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { env?: unknown }).env === 'string';

/** `SNOWFLAKE_AUTH_PASSWORD` for source snowflake, key password: the name suggested in hints. */
export function suggestedEnvName(sourceName: string, key: string): string {
  const words = `${sourceName}_${key}`.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return words.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}

const where = (path: Array<string | number>, sourceName: string) => `${path.join('.')} of source ${sourceName}`;

/** Every literal secret and credential-shaped string of one `defineSource({...})` value. */
export function declaredSecrets(declaration: unknown, sourceName: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  const visit = (value: unknown, path: Array<string | number>) => {
    if (value === null || value === undefined || isEnvRef(value) || isColumnBuilder(value)) return;
    const key = path[path.length - 1];
    if (typeof key === 'string' && key !== 'kind' && SECRET_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) {
      const name = suggestedEnvName(sourceName, key);
      out.push({
        code: 'ETL193',
        path,
        message: `${where(path, sourceName)} is a secret written as a literal: secrets must come from the environment`,
        hint: `Write ${key}: env('${name}') and set ${name} where etl ingest runs. A literal would be copied into target/ (and uploaded on EMR builds); if it was committed, rotate it.`,
      });
      return;
    }
    if (typeof value === 'string') {
      for (const f of scanCredentials(value)) {
        out.push({
          code: 'ETL194',
          path,
          message: `${where(path, sourceName)} holds a credential (${CREDENTIAL_DESCRIPTIONS[f.kind]}: ${f.excerpt})`,
          hint:
            f.kind === 'url-userinfo'
              ? "Remove user:password@ from the URL; give credentials through the system's auth settings with env('NAME')."
              : "Keep credentials out of sources/: declare them with env('NAME') in the system's auth settings.",
        });
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(declaration, []);
  return out;
}
