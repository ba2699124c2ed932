import { describe, expect, it } from 'vitest';
import { kafkaConfig } from '../../connectors/kafka/client.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';

const job = (connection: Record<string, unknown>) => ({ id: 'source.kafka.user_events', sourceName: 'kafka', connection }) as unknown as IngestionJobSpec;
const declared = {
  brokers: ['company-kafka.company.com:9092'],
  securityProtocol: 'SASL_SSL',
  sasl: { mechanism: 'scram-sha-512', username: { env: 'KAFKA_USERNAME' }, password: { env: 'KAFKA_PASSWORD' } },
};

describe('Kafka client settings', () => {
  it('SASL_SSL with SCRAM-SHA-512, secrets from the environment', () => {
    const config = kafkaConfig(job(declared), { KAFKA_USERNAME: 'etl', KAFKA_PASSWORD: 'pw' });
    expect(config.brokers).toEqual(['company-kafka.company.com:9092']);
    expect(config.ssl).toBe(true);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'etl', password: 'pw' });
  });

  it('says which variable is missing', () => {
    expect(() => kafkaConfig(job(declared), { KAFKA_USERNAME: 'etl' })).toThrow(/environment variable KAFKA_PASSWORD \(Kafka SASL password\) is not set/);
  });

  it('SASL without settings is a configuration error with a hint', () => {
    expect(() => kafkaConfig(job({ ...declared, sasl: undefined }), {})).toThrow(/uses SASL_SSL but declares no sasl settings/);
  });

  it('ETL_KAFKA_BROKERS / ETL_KAFKA_SECURITY_PROTOCOL override the declaration for local runs', () => {
    const config = kafkaConfig(job(declared), { ETL_KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093', ETL_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' });
    expect(config.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.ssl).toBe(false);
    expect(config.sasl).toBeUndefined();
  });
});
