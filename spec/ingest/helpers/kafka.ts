/** Starts the real Kafka broker for a spec file (installing it first if needed) and produces test data. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { startKafkaBroker, type KafkaBroker } from '../../../runtime/dev-servers/kafka-broker.js';
import { projectRoot } from './jobs.js';

export async function setupBroker(): Promise<KafkaBroker> {
  await promisify(execFile)('bash', [join(projectRoot, 'scripts/setup-kafka.sh')], { timeout: 600_000 });
  return startKafkaBroker(projectRoot);
}

export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

export async function produce(brokers: string[], topic: string, messages: Array<Message & { partition: number }>): Promise<void> {
  const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 1000) {
    await producer.send({ topic, messages: messages.slice(i, i + 1000), acks: -1 });
  }
  await producer.disconnect();
}

export async function committedOffsets(brokers: string[], groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return Object.fromEntries(t!.partitions.map((p) => [p.partition, p.offset]));
}

/** An order event as the reference `order_events` topic carries it. */
export function orderEvent(i: number, day = i % 3): Record<string, unknown> {
  return {
    event_id: `e-${i}`,
    order_id: `o-${i % 97}`,
    customer_id: `c-${i % 13}`,
    event_type: ['created', 'paid', 'shipped'][i % 3],
    amount: `${(i * 7) % 1000}.${String(i % 100).padStart(2, '0')}`,
    items: [{ product_id: `p-${i % 5}`, quantity: (i % 4) + 1 }],
    event_timestamp: new Date(Date.UTC(2024, 0, 1 + day, 12, 0, i % 60)).toISOString(),
  };
}
