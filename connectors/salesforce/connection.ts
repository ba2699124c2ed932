/**
 * jsforce connections (API 58.0) from the declared auth: OAuth2 refresh token, or JWT bearer signed
 * here (jsforce has no signer) with a refresh function that signs a fresh assertion, so a 401 always
 * leads to one refresh and a replay. `ETL_SALESFORCE_LOGIN_URL` points at another org endpoint.
 */
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import jsforce, { type Connection } from 'jsforce';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { secret } from '../../runtime/ingest/secrets.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryHooks, type RetryPolicy } from '../../runtime/ingest/retry-policy.js';
import { RetryingTransport, useRetryingTransport } from './transport.js';

interface SalesforceConnectionDecl {
  loginUrl: string;
  apiVersion?: string;
  auth:
    | { kind: 'refresh_token'; clientId: unknown; clientSecret: unknown; refreshToken: unknown }
    | { kind: 'jwt_bearer'; clientId: unknown; username: unknown; privateKeyPath: unknown };
}

export async function connectSalesforce(
  job: IngestionJobSpec,
  env: NodeJS.ProcessEnv,
  retry: { policy: RetryPolicy; hooks: RetryHooks } = { policy: DEFAULT_RETRY_POLICY, hooks: {} },
): Promise<Connection> {
  // Every call (token, refresh, REST, Bulk 2.0) goes through one transport under the retry policy.
  const transport = new RetryingTransport(retry.policy, retry.hooks);
  const decl = job.connection as unknown as SalesforceConnectionDecl;
  const loginUrl = env.ETL_SALESFORCE_LOGIN_URL ?? decl.loginUrl;
  const version = decl.apiVersion ?? '58.0';
  const auth = decl.auth;
  try {
    if (auth.kind === 'refresh_token') {
      const clientId = secret(auth.clientId, env, 'Salesforce client id', job.id);
      const clientSecret = secret(auth.clientSecret, env, 'Salesforce client secret', job.id);
      const refreshToken = secret(auth.refreshToken, env, 'Salesforce refresh token', job.id);
      const oauth2 = { clientId, clientSecret, loginUrl };
      const token = await useRetryingTransport(new jsforce.OAuth2(oauth2), transport).refreshToken(refreshToken);
      // With oauth2 and a refresh token set, jsforce answers a 401 with one shared refresh and a replay.
      return useRetryingTransport(new jsforce.Connection({ oauth2, refreshToken, accessToken: token.access_token, instanceUrl: token.instance_url, version }), transport);
    }
    if (auth.kind === 'jwt_bearer') {
      const clientId = secret(auth.clientId, env, 'Salesforce client id', job.id);
      const username = secret(auth.username, env, 'Salesforce username', job.id);
      const keyPath = secret(auth.privateKeyPath, env, 'Salesforce private key path', job.id);
      const privateKey = await readFile(keyPath, 'utf8').catch(() => {
        throw new IngestError(`cannot read the Salesforce private key at ${keyPath}`, { code: 'INGEST_CONFIG', where: job.id });
      });
      const assertion = () => signJwt({ iss: clientId, sub: username, aud: loginUrl, exp: Math.floor(Date.now() / 1000) + 180 }, privateKey);
      const oauth2 = useRetryingTransport(new jsforce.OAuth2({ clientId, loginUrl }), transport);
      const authorize = async () =>
        (await oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: assertion() })) as { access_token: string; instance_url: string };
      const first = await authorize();
      const conn = new jsforce.Connection({
        oauth2,
        version,
        accessToken: first.access_token,
        instanceUrl: first.instance_url,
        // No refresh token in this flow: a 401 signs a new assertion instead.
        refreshFn: (_conn, callback) => {
          authorize().then(
            (res) => callback(null, res.access_token, res as never),
            (err: Error) => callback(err),
          );
        },
      });
      return useRetryingTransport(conn, transport);
    }
  } catch (err) {
    if (err instanceof IngestError) throw err;
    throw new IngestError(`cannot authenticate to Salesforce for ${job.id}: ${(err as Error).message}`, {
      code: 'INGEST_SALESFORCE_AUTH',
      hint: 'check the connected app (client id/secret), the refresh token or JWT key, and the login URL',
    });
  }
  throw new IngestError(`unknown Salesforce auth kind in ${job.id}`, { code: 'INGEST_CONFIG', hint: 'use refresh_token or jwt_bearer' });
}

export function signJwt(claims: Record<string, unknown>, privateKeyPem: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(privateKeyPem).toString('base64url')}`;
}
