/**
 * The AWS SDK clients the target uses. Credentials come only from the SDK's default provider
 * chain (environment, shared profile, SSO, instance/container role): nothing here reads or
 * stores a secret. ETL_AWS_ENDPOINT_URL points every client at one endpoint (moto in tests,
 * LocalStack-style emulators, or a VPC endpoint).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EMRClient } from '@aws-sdk/client-emr';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';

export const ENDPOINT_ENV = 'ETL_AWS_ENDPOINT_URL';

/** The narrow face of an SDK v3 client: tests inject fakes with the same `send`. */
export interface SdkClient {
  send(command: any): Promise<any>;
}

export interface AwsClients {
  s3: SdkClient;
  glue: SdkClient;
  emr: SdkClient;
  cloudwatch: SdkClient;
}

export function createAwsClients(region: string, env: NodeJS.ProcessEnv = process.env): AwsClients {
  // The project pins Node 20 and exact SDK versions; the SDK's "future versions need Node 22"
  // notice would print on every build without telling the user anything actionable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env[ENDPOINT_ENV] || undefined;
  const common = { region, ...(endpoint ? { endpoint } : {}), maxAttempts: 5 };
  return {
    // Emulators serve buckets by path, not by virtual host.
    s3: new S3Client({ ...common, forcePathStyle: Boolean(endpoint) }),
    glue: new GlueClient(common),
    emr: new EMRClient(common),
    cloudwatch: new CloudWatchClient(common),
  };
}
