/**
 * Worker-thread side of Kafka -> bronze: turns record batches into encoded file groups
 * (record-landing.ts) and posts them back. Each partition carries an epoch: after a reset the
 * records sent before it are skipped, so a rewound partition starts again from a clean slate.
 */
import { parentPort } from 'node:worker_threads';
import { RecordLanding, type EncodedGroup, type LandingSettings, type RecordBatch } from './record-landing.js';
import type { LandingReply, LandingRequest } from './landing-protocol.js';
import { IngestError } from '../../runtime/bronze/errors.js';

const port = parentPort!;
let landing: RecordLanding | undefined;
const epochs = new Map<number, number>();
/** After an error nothing more is landed: the job fails, and what was not committed is read again. */
let failed = false;

const send = (reply: LandingReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
// File bodies move to the main thread without a copy.
const postGroup = (epoch: number, group: EncodedGroup) =>
  send({ kind: 'group', epoch, group }, [...new Set(group.files.map((f) => f.body.buffer as ArrayBuffer))]);

port.on('message', (request: LandingRequest) => {
  if (failed) return;
  try {
    switch (request.kind) {
      case 'init':
        landing = new RecordLanding(request.settings as LandingSettings);
        return;
      case 'records': {
        const batch: RecordBatch = request.batch;
        if ((epochs.get(batch.partition) ?? 0) === request.epoch) {
          for (const group of landing!.add(batch)) postGroup(request.epoch, group);
        }
        send({ kind: 'consumed', bytes: batch.values.byteLength + batch.keys.byteLength });
        return;
      }
      case 'end': {
        if ((epochs.get(request.partition) ?? 0) !== request.epoch) return;
        const group = landing!.end(request.partition);
        if (group) postGroup(request.epoch, group);
        send({ kind: 'ended', partition: request.partition, epoch: request.epoch });
        return;
      }
      case 'reset':
        epochs.set(request.partition, request.epoch);
        landing!.reset(request.partition);
        return;
    }
  } catch (err) {
    failed = true;
    if (err instanceof IngestError) send({ kind: 'error', error: { message: err.message, details: err.details } });
    else send({ kind: 'error', error: { message: (err as Error).message, stack: (err as Error).stack ?? '' } });
  }
});
send({ kind: 'ready' });
