/** What every connector gets to run one ingestion job, and what it reports back. */
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import type { ObjectStore } from '../bronze/object-store.js';

export interface ProgressEvent {
  jobId: string;
  phase: 'start' | 'batch' | 'recovered' | 'warning' | 'done';
  message: string;
  rows?: number;
  quarantined?: number;
}

export interface JobContext {
  job: IngestionJobSpec;
  store: ObjectStore;
  runId: string;
  /** Run start; the `_extracted_at` of every row of this run. */
  startedAt: Date;
  env: NodeJS.ProcessEnv;
  /** Relative paths in a job (a files connector's folder) resolve against this; default: the working directory. */
  projectDir?: string;
  progress: (event: ProgressEvent) => void;
  /** Stops the job between batches (Ctrl-C): state stays at the last commit. */
  signal?: AbortSignal;
}

export interface DriftFinding {
  kind: 'added' | 'removed' | 'changed';
  column: string;
  declared?: string;
  observed?: string;
}

export interface JobResult {
  jobId: string;
  status: 'success' | 'partial' | 'error';
  rows: number;
  quarantined: number;
  batches: number;
  files: number;
  /** Cursor or offsets after the run. */
  position: unknown;
  drift: DriftFinding[];
  warnings: string[];
  error?: { code: string; message: string; hint?: string };
  recovered?: string;
  seconds: number;
  /** Calls to the source system and their total time (batch sources; see source-latency.ts). */
  sourceLatency?: { calls: number; totalMs: number };
}
