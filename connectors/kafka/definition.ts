/** Kafka: topics read through kafkajs up to the offsets seen at start, exactly once per consumer group. */
import { z } from 'zod';
import { defineConnector, durationSchema, durationSeconds, envRefSchema, metadataColumn } from '../definition.js';

export const kafkaConnectionSchema = z.strictObject({
  brokers: z.array(z.string().min(1)).min(1),
  securityProtocol: z.enum(['PLAINTEXT', 'SASL_SSL', 'SASL_PLAINTEXT', 'SSL']),
  sasl: z.strictObject({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: envRefSchema, password: envRefSchema }).optional(),
  schemaRegistryUrl: z.string().optional(),
  consumerGroupPrefix: z.string().optional(),
});

export const kafkaTableSchema = z.strictObject({
  topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name (letters, digits, ., _ and -)'),
  partitions: z.number().int().positive(),
  valueFormat: z.enum(['json', 'avro']),
  keyColumn: z.string().optional(),
  /** Column holding the event time; bronze partitions come from it. */
  eventTimeColumn: z.string().optional(),
  rotation: z.strictObject({ maxRecords: z.number().int().positive().optional(), maxBytes: z.number().int().positive().optional(), maxRecordTimeSpan: durationSchema.optional() }).optional(),
});

export const kafkaExtractSchema = z.strictObject({
  kind: z.literal('kafka'),
  topic: z.string(),
  partitions: z.number().int().positive(),
  valueFormat: z.enum(['json', 'avro']),
  consumerGroup: z.string(),
  keyColumn: z.string().optional(),
  eventTimeColumn: z.string().optional(),
  rotation: z.strictObject({ maxRecords: z.number(), maxBytes: z.number(), maxRecordTimeSpanSeconds: z.number() }),
});

export type KafkaConnection = z.input<typeof kafkaConnectionSchema>;
export type KafkaTableSettings = z.input<typeof kafkaTableSchema>;
export type KafkaExtract = z.output<typeof kafkaExtractSchema>;

const DEFAULT_ROTATION = { maxRecords: 50_000, maxBytes: 64 * 1024 * 1024, maxRecordTimeSpanSeconds: 3_600 };

export const kafka = defineConnector({
  system: 'kafka',
  summary: 'Kafka topics (JSON values) through kafkajs',
  connection: kafkaConnectionSchema,
  table: kafkaTableSchema,
  columnSettings: ['keyColumn', 'eventTimeColumn'],
  metadataColumns: [
    metadataColumn('_topic', 'string', false),
    metadataColumn('_partition', 'int', false),
    metadataColumn('_offset', 'bigint', false),
    metadataColumn('_kafka_timestamp', 'timestamp'),
    metadataColumn('_key', 'string'),
  ],
  sourceColumnName: (declared) => declared,
  extract: kafkaExtractSchema,
  emitExtract({ connection, settings, projectName, sourceName, table }) {
    const rotation = settings.rotation ?? {};
    return {
      kind: 'kafka' as const,
      topic: settings.topic,
      partitions: settings.partitions,
      valueFormat: settings.valueFormat,
      consumerGroup: `${connection.consumerGroupPrefix ?? 'lakehouse-etl'}.${projectName}.${sourceName}.${table}`,
      ...(settings.keyColumn ? { keyColumn: settings.keyColumn } : {}),
      ...(settings.eventTimeColumn ? { eventTimeColumn: settings.eventTimeColumn } : {}),
      rotation: {
        maxRecords: rotation.maxRecords ?? DEFAULT_ROTATION.maxRecords,
        maxBytes: rotation.maxBytes ?? DEFAULT_ROTATION.maxBytes,
        maxRecordTimeSpanSeconds: durationSeconds(rotation.maxRecordTimeSpan) ?? DEFAULT_ROTATION.maxRecordTimeSpanSeconds,
      },
    };
  },
  run: async () => (await import('./ingest.js')).runKafkaJob,
});
