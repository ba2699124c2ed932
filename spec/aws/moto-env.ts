/** Shared set-up for the specs that talk to moto: one server per spec file, a fresh state per test. */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAwsClients, type AwsClients } from '../../runtime/aws/clients.js';
import { MOTO_ENV, startMotoServer, type MotoServer } from './moto-server.js';

export interface MotoContext {
  server: MotoServer;
  env: NodeJS.ProcessEnv;
  clients: AwsClients;
}

export function useMoto(bucket = 'company-lakehouse'): MotoContext {
  const ctx = {} as MotoContext;
  beforeAll(async () => {
    ctx.server = await startMotoServer();
    // Only this process's SDK clients see these; nothing real is reachable with them.
    ctx.env = { ...MOTO_ENV, ETL_AWS_ENDPOINT_URL: ctx.server.endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
    Object.assign(process.env, ctx.env);
    ctx.clients = createAwsClients('us-east-1', ctx.env);
  }, 120_000);
  beforeEach(async () => {
    await ctx.server.reset();
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}
