/**
 * A user-facing error of the AWS target: what went wrong, where, and how to fix it. The CLI
 * prints these without a stack trace; anything else is a bug and keeps its stack.
 */
export class AwsTargetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'AwsTargetError';
  }

  /** One block for the terminal: message, then the fix. */
  format(): string {
    return this.hint ? `${this.code}: ${this.message}\n  fix: ${this.hint}` : `${this.code}: ${this.message}`;
  }
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns an AWS SDK failure into an AwsTargetError naming the call that failed, with the fix for
 * the usual causes (no credentials, missing permission, unreachable endpoint). Never includes
 * credentials: the SDK's messages do not carry them and we add only the action and resource.
 */
export function explainAwsError(err: unknown, action: string, resource?: string): AwsTargetError {
  if (err instanceof AwsTargetError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const where = resource ? ` on ${resource}` : '';
  const detail = (e.message ?? String(err)).split('\n')[0];
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(detail ?? '')) {
    return new AwsTargetError(
      'AWS_NO_CREDENTIALS',
      `${action}${where}: no AWS credentials found in the standard chain`,
      'set AWS_PROFILE (with ~/.aws/config), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an IAM role is attached',
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation' || e.$metadata?.httpStatusCode === 403) {
    return new AwsTargetError(
      'AWS_ACCESS_DENIED',
      `${action}${where} was denied: ${detail}`,
      `grant the IAM permission for ${action} to the identity in use (see "IAM permissions" in the README)`,
    );
  }
  if (name === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(detail ?? '')) {
    return new AwsTargetError(
      'AWS_UNREACHABLE',
      `${action}${where}: the AWS endpoint could not be reached (${detail})`,
      'check the network, the region, and ETL_AWS_ENDPOINT_URL if it is set',
    );
  }
  return new AwsTargetError('AWS_REQUEST_FAILED', `${action}${where} failed: ${name}: ${detail}`);
}

/** Runs one AWS call, converting its failure into an explained AwsTargetError. */
export async function awsCall<T>(action: string, resource: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explainAwsError(err, action, resource);
  }
}
