/** Cursor positions of batch sources are instants kept as microsecond ISO strings (UTC). */
import { timestampMicros } from '../bronze/value-encoding.js';

export function microsToIso(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const frac = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return new Date(Number(ms)).toISOString().slice(0, 19) + '.' + frac.toString().padStart(6, '0') + 'Z';
}

export function toMicros(value: unknown): bigint {
  return timestampMicros(value);
}

export function microsToDate(micros: bigint): string {
  return microsToIso(micros).slice(0, 10);
}

/** A batch id that sorts with time: `w20240101T000000000000`. */
export function windowBatchId(startMicros: bigint): string {
  return 'w' + microsToIso(startMicros).replace(/[-:.Z]/g, '');
}
