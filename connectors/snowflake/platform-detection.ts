/**
 * Imported before snowflake-sdk (see connection.ts). snowflake-sdk 3.x probes, when it is loaded,
 * which cloud it runs on, for its telemetry: an AWS STS GetCallerIdentity call (with whatever AWS
 * credentials the machine has), EC2, Azure and GCE metadata requests. That is network traffic an
 * ingestion does not need, and loading the AWS SDK for it prints the SDK's Node-version warning in
 * projects that use no AWS at all. dbt-snowflake turns the probe off by default the same way
 * (`platform_detection_timeout_seconds: 0`); `SNOWFLAKE_DISABLE_PLATFORM_DETECTION` is the
 * driver's documented switch, and a value the user set is kept.
 */
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
