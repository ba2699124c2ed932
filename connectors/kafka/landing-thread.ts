/**
 * Main-thread handle of the landing worker: packs kafkajs messages into transferable batches,
 * limits how many bytes are waiting in the worker (so a slow disk or a slow worker cannot grow
 * memory without bound), and hands finished groups and errors to the job.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KafkaMessage } from 'kafkajs';
import { workerEntryUrl } from '../../compiler/threads/worker-bundle.js';
import { CODE_EXT, ownModule } from '../../compiler/own-files.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import type { LandingReply, LandingRequest } from './landing-protocol.js';
import type { EncodedGroup, LandingSettings, RecordBatch } from './record-landing.js';

export interface LandingEvents {
  group(epoch: number, group: EncodedGroup): void;
  ended(partition: number, epoch: number): void;
  error(err: Error): void;
}

/** Bytes of record values and keys sent to the worker and not yet handled by it. */
const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

export class LandingThread {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly worker: Worker,
    events: LandingEvents,
  ) {
    worker.on('message', (reply: LandingReply) => {
      switch (reply.kind) {
        case 'group':
          events.group(reply.epoch, reply.group);
          return;
        case 'consumed':
          this.inFlight -= reply.bytes;
          if (this.inFlight < MAX_IN_FLIGHT_BYTES) for (const wake of this.waiters.splice(0)) wake();
          return;
        case 'ended':
          events.ended(reply.partition, reply.epoch);
          return;
        case 'error': {
          const { message, details, stack } = reply.error;
          const err = details ? new IngestError(message, details) : Object.assign(new Error(message), { stack });
          events.error(err);
          return;
        }
      }
    });
    worker.on('error', (err) => events.error(err));
  }

  /**
   * The worker's entry (the bundle, checked up to date): looked up once per run, early, so the
   * check overlaps the job's first broker calls and every thread of the run shares it.
   */
  static entry(): Promise<URL> {
    return workerEntryUrl({
      name: 'kafka-landing-worker',
      entry: fileURLToPath(ownModule('./landing-worker', import.meta.url)),
      // Compiled JavaScript needs no loader: its entry is its own fallback.
      fallback: CODE_EXT === '.ts' ? new URL('./landing-worker.mjs', import.meta.url) : ownModule('./landing-worker', import.meta.url),
    });
  }

  static async start(entryUrl: Promise<URL>, settings: LandingSettings, events: LandingEvents): Promise<LandingThread> {
    const worker = new Worker(await entryUrl);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const thread = new LandingThread(worker, events);
    thread.post({ kind: 'init', settings });
    return thread;
  }

  /** Sends consecutive messages of one partition, with their offsets as the caller parsed them. */
  records(partition: number, epoch: number, messages: KafkaMessage[], offsets: bigint[]): void {
    if (messages.length === 0) return;
    const batch = packBatch(partition, messages, offsets);
    this.inFlight += batch.values.byteLength + batch.keys.byteLength;
    this.post({ kind: 'records', epoch, batch }, [batch.offsets.buffer, batch.timestamps.buffer, batch.valueLengths.buffer, batch.values.buffer, batch.keyLengths.buffer, batch.keys.buffer] as ArrayBuffer[]);
  }

  end(partition: number, epoch: number): void {
    this.post({ kind: 'end', partition, epoch });
  }

  reset(partition: number, epoch: number): void {
    this.post({ kind: 'reset', partition, epoch });
  }

  /** Resolves once the worker has room, or after `maxWaitMs` (so the caller can heartbeat). */
  roomOrTimeout(maxWaitMs: number): Promise<boolean> {
    if (this.inFlight < MAX_IN_FLIGHT_BYTES) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), maxWaitMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private post(request: LandingRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(request, transfer);
  }
}

/** Copies the messages' values and keys into two contiguous buffers the worker receives without a copy. */
function packBatch(partition: number, messages: KafkaMessage[], parsedOffsets: bigint[]): RecordBatch {
  const n = messages.length;
  const offsets = new BigInt64Array(n);
  const timestamps = new Float64Array(n);
  const valueLengths = new Int32Array(n);
  const keyLengths = new Int32Array(n);
  let valueBytes = 0;
  let keyBytes = 0;
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    valueBytes += m.value?.length ?? 0;
    keyBytes += m.key?.length ?? 0;
  }
  const values = new Uint8Array(valueBytes);
  const keys = new Uint8Array(keyBytes);
  let valueAt = 0;
  let keyAt = 0;
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    offsets[i] = parsedOffsets[i]!;
    timestamps[i] = Number(m.timestamp);
    if (m.value) {
      values.set(m.value, valueAt);
      valueAt += m.value.length;
      valueLengths[i] = m.value.length;
    } else valueLengths[i] = -1;
    if (m.key) {
      keys.set(m.key, keyAt);
      keyAt += m.key.length;
      keyLengths[i] = m.key.length;
    } else keyLengths[i] = -1;
  }
  return { partition, offsets, timestamps, valueLengths, values, keyLengths, keys };
}
