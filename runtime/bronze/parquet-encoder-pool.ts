/**
 * Parquet encoding on worker threads. Validation and conversion stay on the caller's thread (errors
 * keep their row and column); the encoding itself runs in parallel with consuming.
 * Opt-in with `ETL_PARQUET_WORKERS=N`: on the 2-core reference machine under load, cloning the column
 * data to a worker cost more than it saved (Kafka 100k records: 5.3 s with one worker, 3.6 s inline),
 * so the default encodes inline.
 */
import { Worker } from 'node:worker_threads';
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import { encodeParquet, prepareParquet, type ParquetWriteSettings } from './parquet-writer.js';

interface Pending {
  resolve: (bytes: Uint8Array) => void;
  reject: (err: Error) => void;
}

class EncoderPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;

  constructor(private readonly size: number) {}

  private worker(): Worker {
    if (this.workers.length < this.size) {
      const w = new Worker(new URL('./parquet-encode-worker.mjs', import.meta.url));
      w.on('message', (m: { id: number; buffer?: ArrayBuffer; offset?: number; length?: number; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        this.updateRef();
        if (m.error !== undefined) p.reject(new Error(`Parquet encoding failed: ${m.error}`));
        else p.resolve(new Uint8Array(m.buffer!, m.offset, m.length));
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.workers.push(w);
    }
    return this.workers[this.turn++ % this.workers.length]!;
  }

  /** Idle workers must not keep the process alive. */
  private updateRef(): void {
    for (const w of this.workers) {
      if (this.pending.size) w.ref();
      else w.unref();
    }
  }

  encode(columns: ManifestColumn[], rows: Record<string, unknown>[], settings: ParquetWriteSettings): Promise<Uint8Array> {
    const options = prepareParquet(columns, rows, settings);
    const id = this.nextId++;
    const worker = this.worker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      worker.postMessage({ id, options });
    });
  }
}

let pool: EncoderPool | undefined;

export function encodeParquetAsync(columns: ManifestColumn[], rows: Record<string, unknown>[], settings: ParquetWriteSettings = {}): Promise<Uint8Array> {
  const size = Number(process.env.ETL_PARQUET_WORKERS ?? 0);
  if (size <= 0) return Promise.resolve(encodeParquet(columns, rows, settings));
  pool ??= new EncoderPool(size);
  return pool.encode(columns, rows, settings);
}
