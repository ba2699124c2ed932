/**
 * The local metrics file: one JSON metric point per line, appended, at `.etl/metrics/metrics.jsonl`
 * under the project (not under target/: `etl clean` keeps it, and `etl status` needs the history).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { metricPointSchema, type MetricPoint } from './points.js';
import type { MetricsSink } from './sink.js';

export const METRICS_FILE = join('.etl', 'metrics', 'metrics.jsonl');

export function metricsFile(projectDir: string): string {
  return join(projectDir, METRICS_FILE);
}

export class JsonlSink implements MetricsSink {
  constructor(readonly file: string) {}
  get name(): string {
    return this.file;
  }
  async send(points: MetricPoint[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, points.map((p) => `${JSON.stringify(p)}\n`).join(''));
  }
}

export interface MetricsRead {
  points: MetricPoint[];
  /** 1-based numbers of lines that are not metric points (a partial line after a crash, edits). */
  badLines: number[];
}

/** Every point of the file (none when it does not exist). */
export async function readMetrics(file: string): Promise<MetricsRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { points: [], badLines: [] };
    throw err;
  }
  const out: MetricsRead = { points: [], badLines: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      out.badLines.push(i + 1);
      return;
    }
    const p = metricPointSchema.safeParse(parsed);
    if (p.success) out.points.push(p.data);
    else out.badLines.push(i + 1);
  });
  return out;
}
