/** Shapes shared by the per-source generators: a batch of bronze rows and the run it belongs to. */
import type { DirtLedger, IncrementFacts } from './ledger.js';
import type { Rng } from './prng.js';

/** One landed row: declared columns plus bronze metadata, and the partition it lands in. */
export interface BronzeRow {
  ingestDate: string;
  values: Record<string, unknown>;
}

/** Rows of one source table for one batch, keyed `sourceName.table`. */
export type BatchRows = Map<string, BronzeRow[]>;

export interface RunContext {
  /** `base` or `increment`. */
  batch: 'base' | 'increment';
  runId: string;
  /** Extraction time of this batch: everything generated happened before it. */
  extractedAtMs: number;
  /** Start of the window the batch covers (the previous extraction, or 60 days back for base). */
  windowStartMs: number;
  /** Snowflake and Salesforce batches land in the extraction day's partition. */
  ingestDate: string;
}

export interface GeneratorKit {
  rng: (stream: string) => Rng;
  ledger: DirtLedger;
  /** Planted-row count for a table of `n` clean rows: about 1%, at least two. */
  dirtCount: (n: number) => number;
}

/** Per-table increment bookkeeping. */
export function emptyIncrementFacts(): IncrementFacts {
  return { newKeys: [], updatedKeys: [], staleKeys: [], lateKeys: [], bronzeRows: 0 };
}

/** Batch metadata columns of Snowflake and Salesforce rows. */
export function batchMetadata(ctx: RunContext, source: string, cursorValue: string, isDeleted = false): Record<string, unknown> {
  return {
    _run_id: ctx.runId,
    _extracted_at: new Date(ctx.extractedAtMs).toISOString(),
    _source: source,
    _cursor_value: cursorValue,
    _is_deleted: isDeleted,
  };
}
