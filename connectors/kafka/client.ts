/** kafkajs client settings from the declared connection (SASL/SSL, secrets from env). */
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { secret } from '../../runtime/ingest/secrets.js';
import { IngestError } from '../../runtime/bronze/errors.js';

interface KafkaConnection {
  brokers?: string[];
  securityProtocol?: 'PLAINTEXT' | 'SASL_SSL' | 'SASL_PLAINTEXT' | 'SSL';
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: unknown; password: unknown };
}

/**
 * `ETL_KAFKA_BROKERS` (comma-separated) and `ETL_KAFKA_SECURITY_PROTOCOL` override the declared
 * connection, so the same project runs against a local broker in tests and the quickstart.
 */
export function kafkaConfig(job: IngestionJobSpec, env: NodeJS.ProcessEnv): KafkaConfig {
  const conn = job.connection as KafkaConnection;
  const brokers = env.ETL_KAFKA_BROKERS ? env.ETL_KAFKA_BROKERS.split(',').map((b) => b.trim()) : conn.brokers;
  if (!brokers?.length) {
    throw new IngestError(`no Kafka brokers for ${job.id}`, { code: 'INGEST_CONFIG', hint: 'set connection.brokers in the source, or ETL_KAFKA_BROKERS' });
  }
  const protocol = (env.ETL_KAFKA_SECURITY_PROTOCOL as KafkaConnection['securityProtocol']) ?? conn.securityProtocol ?? 'PLAINTEXT';
  const config: KafkaConfig = {
    clientId: `lakehouse-etl-${job.sourceName}`,
    brokers,
    // Errors reach the job through rejected calls; kafkajs's own logging would only repeat them.
    logLevel: logLevel.NOTHING,
    ssl: protocol === 'SASL_SSL' || protocol === 'SSL',
    retry: { retries: 8, initialRetryTime: 200 },
  };
  if (protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT') {
    if (!conn.sasl) {
      throw new IngestError(`${job.id} uses ${protocol} but declares no sasl settings`, {
        code: 'INGEST_CONFIG',
        hint: "add sasl: { mechanism: 'scram-sha-512', username: env('...'), password: env('...') }",
      });
    }
    config.sasl = {
      mechanism: conn.sasl.mechanism,
      username: secret(conn.sasl.username, env, 'Kafka SASL username', job.id),
      password: secret(conn.sasl.password, env, 'Kafka SASL password', job.id),
    } as SASLOptions;
  }
  return config;
}

export function kafkaClient(job: IngestionJobSpec, env: NodeJS.ProcessEnv): Kafka {
  return new Kafka(kafkaConfig(job, env));
}
