/** Secrets in source declarations are `{ env: NAME }`: resolved here, at run time, never stored. */
import { IngestError } from '../bronze/errors.js';

export function isEnvRef(value: unknown): value is { env: string } {
  return typeof value === 'object' && value !== null && typeof (value as { env?: unknown }).env === 'string';
}

export function secret(value: unknown, env: NodeJS.ProcessEnv, what: string, jobId: string): string {
  if (typeof value === 'string') return value;
  if (!isEnvRef(value)) {
    throw new IngestError(`${what} of ${jobId} is not set`, { code: 'INGEST_CONFIG', hint: `declare it as env('NAME') in the source file` });
  }
  const resolved = env[value.env];
  if (resolved === undefined || resolved === '') {
    throw new IngestError(`environment variable ${value.env} (${what}) is not set`, {
      code: 'INGEST_SECRET_MISSING',
      where: jobId,
      hint: `export ${value.env}=... before running etl ingest`,
    });
  }
  return resolved;
}
