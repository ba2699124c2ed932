/**
 * Snappy through the native `snappy` package (napi-rs): the same SNAPPY pages hyparquet-writer's
 * JavaScript compressor writes (Spark reads them alike), in about a third less Parquet encoding time
 * (bench/kafka-landing-bench.ts). Loaded with require so the worker bundle leaves the native module
 * to Node; where the package has no binary for the platform, the built-in compressor is used.
 */
import { createRequire } from 'node:module';

export type Compressors = Record<string, (input: Uint8Array) => Uint8Array>;

let loaded: Compressors | null | undefined;

/** `{ SNAPPY }` backed by the native module, or undefined when it cannot be loaded here. */
export function nativeSnappy(): Compressors | undefined {
  if (loaded === undefined) {
    try {
      const { compressSync } = createRequire(import.meta.url)('snappy') as { compressSync(input: Uint8Array): Buffer };
      loaded = { SNAPPY: (input) => compressSync(input) };
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
