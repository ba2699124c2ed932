/**
 * A RecordBatch packed the way the Kafka main thread packs one (connectors/kafka/landing-thread.ts
 * packBatch): offsets from 0, one timestamp, keys and values concatenated with their lengths (-1 for
 * null). Text is encoded as UTF-8; bytes are taken as they are (invalid UTF-8, binary keys).
 */
import type { RecordBatch } from '../../../connectors/kafka/record-landing.js';

export interface BatchMessage {
  key: Uint8Array | string | null;
  value: Uint8Array | string | null;
}

const utf8 = new TextEncoder();
const bytesOf = (v: Uint8Array | string | null) => (typeof v === 'string' ? utf8.encode(v) : v);

function concat(parts: Array<Uint8Array | null>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
  let at = 0;
  for (const p of parts) {
    if (!p) continue;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function recordBatch(messages: BatchMessage[], timestampMs = 1_704_164_645_000): RecordBatch {
  const values = messages.map((m) => bytesOf(m.value));
  const keys = messages.map((m) => bytesOf(m.key));
  return {
    partition: 0,
    offsets: BigInt64Array.from(messages.map((_, i) => BigInt(i))),
    timestamps: Float64Array.from(messages.map(() => timestampMs)),
    valueLengths: Int32Array.from(values.map((b) => (b ? b.length : -1))),
    values: concat(values),
    keyLengths: Int32Array.from(keys.map((k) => (k ? k.length : -1))),
    keys: concat(keys),
  };
}
