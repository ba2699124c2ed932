/**
 * snowflake-sdk connections from the declared connection: password, key pair (JWT) or OAuth, with
 * secrets from the environment. `ETL_SNOWFLAKE_ACCESS_URL` points the driver at another endpoint
 * (the loopback server in tests and the quickstart).
 */
// First: it must run before snowflake-sdk loads (it turns off the driver's cloud probe).
import './platform-detection.js';
import snowflake from 'snowflake-sdk';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { secret } from '../../runtime/ingest/secrets.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryHooks, type RetryPolicy } from '../../runtime/ingest/retry-policy.js';
import { applySnowflakeRetryPolicy, describeGiveUp, driverRetryOptions } from './http-retry.js';

snowflake.configure({ logLevel: 'OFF' as never, additionalLogToConsole: false } as never);

interface SnowflakeConnectionDecl {
  account: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  auth:
    | { kind: 'password'; username: unknown; password: unknown }
    | { kind: 'keypair'; username: unknown; privateKeyPath: unknown; privateKeyPassphrase?: unknown }
    | { kind: 'oauth'; token: unknown };
}

/** The retry policy a connection runs under, and how it reports retries. */
export interface SnowflakeRetry {
  policy: RetryPolicy;
  hooks: RetryHooks;
}

/** A connection with the error of a request that ran out of retries, for clear messages. */
export interface SnowflakeSession {
  connection: snowflake.Connection;
  /** Why the last failed request stopped retrying, if it did ("gave up after 5 attempts; last response HTTP 503 ..."). */
  takeGiveUp(): string | undefined;
}

export function snowflakeOptions(job: IngestionJobSpec, env: NodeJS.ProcessEnv, policy: RetryPolicy = DEFAULT_RETRY_POLICY): snowflake.ConnectionOptions {
  const c = job.connection as unknown as SnowflakeConnectionDecl;
  const options: Record<string, unknown> = {
    ...driverRetryOptions(policy),
    account: c.account,
    warehouse: c.warehouse,
    database: c.database,
    schema: c.schema,
    role: c.role,
    application: 'lakehouse-etl',
    // With fetchAsString the driver otherwise turns SQL NULL into the text 'NULL'.
    representNullAsStringNull: false,
  };
  if (env.ETL_SNOWFLAKE_ACCESS_URL) options.accessUrl = env.ETL_SNOWFLAKE_ACCESS_URL;
  const auth = c.auth;
  if (auth.kind === 'password') {
    options.username = secret(auth.username, env, 'Snowflake username', job.id);
    options.password = secret(auth.password, env, 'Snowflake password', job.id);
  } else if (auth.kind === 'keypair') {
    options.authenticator = 'SNOWFLAKE_JWT';
    options.username = secret(auth.username, env, 'Snowflake username', job.id);
    options.privateKeyPath = secret(auth.privateKeyPath, env, 'Snowflake private key path', job.id);
    if (auth.privateKeyPassphrase) options.privateKeyPass = secret(auth.privateKeyPassphrase, env, 'Snowflake private key passphrase', job.id);
  } else if (auth.kind === 'oauth') {
    options.authenticator = 'OAUTH';
    options.token = secret(auth.token, env, 'Snowflake OAuth token', job.id);
  } else {
    throw new IngestError(`unknown Snowflake auth kind in ${job.id}`, { code: 'INGEST_CONFIG', hint: 'use password, keypair or oauth' });
  }
  return options as unknown as snowflake.ConnectionOptions;
}

export async function connectSnowflake(job: IngestionJobSpec, env: NodeJS.ProcessEnv, retry: SnowflakeRetry = { policy: DEFAULT_RETRY_POLICY, hooks: {} }): Promise<SnowflakeSession> {
  const options = snowflakeOptions(job, env, retry.policy);
  const accessUrl = (options as { accessUrl?: string }).accessUrl ?? `https://${(job.connection as unknown as SnowflakeConnectionDecl).account}.snowflakecomputing.com`;
  const registration = applySnowflakeRetryPolicy(accessUrl, retry.policy, retry.hooks, 'Snowflake');
  const takeGiveUp = () => {
    const g = registration.takeGiveUp();
    return g ? describeGiveUp(g) : undefined;
  };
  const connection = snowflake.createConnection(options);
  await new Promise<void>((resolve, reject) =>
    connection.connect((err) => {
      if (!err) return resolve();
      const gaveUp = takeGiveUp();
      reject(
        new IngestError(`cannot log in to Snowflake for ${job.id}: ${gaveUp ?? err.message}`, {
          code: gaveUp ? 'INGEST_RETRIES_EXHAUSTED' : 'INGEST_SNOWFLAKE_LOGIN',
          where: accessUrl,
          hint: gaveUp
            ? 'the endpoint kept failing; try again later, or raise ETL_RETRY_MAX_ATTEMPTS / ETL_REQUEST_TIMEOUT_MS'
            : 'check the account, the credentials in the environment and the network path',
        }),
      );
    }),
  );
  return { connection, takeGiveUp };
}

export function destroy(connection: snowflake.Connection): Promise<void> {
  return new Promise((resolve) => connection.destroy(() => resolve()));
}

/** Runs a statement and streams its rows (object mode), never holding the whole result. */
export function streamQuery(
  session: SnowflakeSession,
  sqlText: string,
  binds: snowflake.Binds = [],
): Promise<{ statement: snowflake.RowStatement; rows: AsyncIterable<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    session.connection.execute({
      sqlText,
      binds,
      streamResult: true,
      // Lossless: NUMBER(38,x) and dates/timestamps arrive as text, converted by our own code.
      fetchAsString: ['Number', 'Date'],
      complete: (err, statement) => {
        if (err) {
          const gaveUp = session.takeGiveUp();
          reject(new IngestError(`Snowflake query failed: ${gaveUp ?? err.message}`, { code: gaveUp ? 'INGEST_RETRIES_EXHAUSTED' : 'INGEST_SNOWFLAKE_QUERY', where: sqlText.slice(0, 200) }));
        }
        else resolve({ statement: statement as snowflake.RowStatement, rows: statement.streamRows() as AsyncIterable<Record<string, unknown>> });
      },
    });
  });
}

export async function queryAll(session: SnowflakeSession, sqlText: string, binds: snowflake.Binds = []) {
  const { statement, rows } = await streamQuery(session, sqlText, binds);
  const out: Record<string, unknown>[] = [];
  for await (const row of rows) out.push(row);
  return { statement, rows: out };
}
