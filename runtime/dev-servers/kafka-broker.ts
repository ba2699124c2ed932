/**
 * Starts a real single-node Apache Kafka 4 broker in KRaft mode from the jars that
 * scripts/setup-kafka.sh put in .etl/kafka/libs. Used by the ingestion specs, the bench and the
 * quickstart; the caller must call stop().
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOOL_ROOT } from '../../compiler/own-files.js';

const run = promisify(execFile);

export interface KafkaBroker {
  brokers: string[];
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The lakehouse-etl checkout: where scripts/setup-kafka.sh installs the broker. */
export const toolRoot = TOOL_ROOT;

/** Runs scripts/setup-kafka.sh (idempotent, cached) when the broker jars are not there yet. */
export async function ensureKafkaInstalled(root = toolRoot): Promise<void> {
  const jars = await readdir(join(root, '.etl', 'kafka', 'libs')).catch(() => [] as string[]);
  if (jars.some((j) => j.startsWith('kafka_'))) return;
  await run('bash', [join(root, 'scripts', 'setup-kafka.sh')], { timeout: 900_000 });
}

export async function startKafkaBroker(projectRoot: string = toolRoot, options: { heapMb?: number } = {}): Promise<KafkaBroker> {
  const libs = join(projectRoot, '.etl', 'kafka', 'libs');
  const jars = await readdir(libs).catch(() => [] as string[]);
  if (!jars.some((j) => j.startsWith('kafka_'))) {
    throw new Error(`no Kafka broker jars in ${libs}: run scripts/setup-kafka.sh first`);
  }
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), 'etl-kafka-'));
  const props = join(dir, 'server.properties');
  await writeFile(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      // Lets tests use short sessions, so a killed consumer's partitions come back in seconds.
      'group.min.session.timeout.ms=1000',
      'auto.create.topics.enable=false',
      '',
    ].join('\n'),
  );
  const java = ['-Xmx' + (options.heapMb ?? 512) + 'm', '-XX:+UseSerialGC', '-cp', join(libs, '*')];
  // Any 16 random bytes in URL-safe base64 form a valid cluster id.
  // (one starting with '-' would be read as an option by StorageTool's argument parser).
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  await run('java', [...java, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', props], { timeout: 60_000 });

  const child: ChildProcess = spawn('java', [...java, 'kafka.Kafka', props], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const brokers = [`127.0.0.1:${port}`];
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (exited) resolve();
      });
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`Kafka broker exited during start-up:\n${output}`);
    }
    try {
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
      break;
    } catch {
      await admin.disconnect().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Kafka broker not ready after 90 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { brokers, port, stop };
}
