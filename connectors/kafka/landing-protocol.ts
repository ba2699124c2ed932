/** Messages between the Kafka job (main thread) and its landing worker. */
import type { EncodedGroup, LandingSettings, RecordBatch } from './record-landing.js';

export type LandingRequest =
  | { kind: 'init'; settings: LandingSettings }
  | { kind: 'records'; epoch: number; batch: RecordBatch }
  /** The partition reached the run's target: close its open group. */
  | { kind: 'end'; partition: number; epoch: number }
  /** Drop the partition's open group; records of older epochs are skipped from now on. */
  | { kind: 'reset'; partition: number; epoch: number };

export type LandingReply =
  | { kind: 'ready' }
  | { kind: 'group'; epoch: number; group: EncodedGroup }
  /** A records message was handled: its bytes no longer count against the in-flight limit. */
  | { kind: 'consumed'; bytes: number }
  | { kind: 'ended'; partition: number; epoch: number }
  /** `details` set: a user-facing IngestError; otherwise a bug, with its stack. */
  | { kind: 'error'; error: { message: string; details?: { code: string; where?: string; hint?: string }; stack?: string } };
