/**
 * Analysis cache for fast recompiles (what dbt calls partial parsing): a model's parse and
 * analysis are reused when its rendered SQL and the columns of everything it reads are unchanged.
 * Keyed also by the compiler's own analysis code, so a new compiler version never reuses stale
 * results. Stored in .etl/cache/; delete it or pass --no-cache to start cold.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlAnalysisRequest, SqlAnalysisResult } from './analyse-sql.js';

interface CacheFile {
  compiler: string;
  entries: Record<string, { key: string; result: SqlAnalysisResult }>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** A hash of the code files under `dir`, subfolders included (the Spark type rules live in one). */
export async function codeHash(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(ts|js|mjs)$/.test(f)).sort();
  const texts = await Promise.all(files.map(async (f) => `${f}\u0000${await readFile(path.join(dir, f), 'utf8')}`));
  return sha(texts.join('\u0000'));
}

let compilerHash: Promise<string> | undefined;
/** A hash of the analysis code itself: the cache is only valid for the code that filled it. */
export function analysisCodeHash(): Promise<string> {
  compilerHash ??= codeHash(path.dirname(new URL(import.meta.url).pathname));
  return compilerHash;
}

export class AnalysisCache {
  private changed = false;
  private constructor(
    private readonly file: string | undefined,
    private readonly data: CacheFile,
  ) {}

  static disabled(): AnalysisCache {
    return new AnalysisCache(undefined, { compiler: '', entries: {} });
  }

  static async load(projectDir: string): Promise<AnalysisCache> {
    const file = path.join(projectDir, '.etl', 'cache', 'analysis.json');
    const compiler = await analysisCodeHash();
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      if (data.compiler === compiler && data.entries) return new AnalysisCache(file, data);
    } catch {
      /* no cache yet, or unreadable: start cold */
    }
    return new AnalysisCache(file, { compiler, entries: {} });
  }

  /** The key of a request: everything the analysis reads (SQL, declared relations) and the signatures of its inputs. */
  key(request: SqlAnalysisRequest, upstream: string[]): string {
    return sha(JSON.stringify([request.full, request.incremental ?? null, request.self ?? null, request.declared ?? null, upstream, ...(request.snapshot !== undefined ? [request.snapshot] : []), ...(request.declassify?.length ? [request.declassify] : [])]));
  }

  get(id: string, key: string): SqlAnalysisResult | undefined {
    const hit = this.data.entries[id];
    return hit && hit.key === key ? hit.result : undefined;
  }

  /** Whether this model's SQL text is unchanged since the cache was written (used to size the worker pool). */
  probablyHit(id: string): boolean {
    return this.data.entries[id] !== undefined;
  }

  set(id: string, key: string, result: SqlAnalysisResult): void {
    if (!this.file) return;
    this.data.entries[id] = { key, result };
    this.changed = true;
  }

  /** Forgets models that no longer exist, then writes atomically. */
  async save(liveIds: Set<string>): Promise<void> {
    if (!this.file) return;
    for (const id of Object.keys(this.data.entries)) {
      if (!liveIds.has(id)) {
        delete this.data.entries[id];
        this.changed = true;
      }
    }
    if (!this.changed) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.data));
    await rename(tmp, this.file);
  }
}
