/**
 * Where metric points go: one interface, two implementations (jsonl-sink.ts for the local file,
 * cloudwatch-sink.ts for CloudWatch). `fanOut` sends to several; a sink that fails does not stop
 * the others, and the failure is returned as data for the caller to report (metrics never fail a run).
 */
import type { MetricPoint } from './points.js';

export interface MetricsSink {
  /** For messages: the file, or `cloudwatch:<namespace>`. */
  readonly name: string;
  send(points: MetricPoint[]): Promise<void>;
}

export interface SendOutcome {
  sink: string;
  points: number;
  error?: string;
}

/** Sends the points to every sink; one outcome per sink. */
export async function fanOut(sinks: MetricsSink[], points: MetricPoint[]): Promise<SendOutcome[]> {
  if (points.length === 0) return [];
  return Promise.all(
    sinks.map(async (s) => {
      try {
        await s.send(points);
        return { sink: s.name, points: points.length };
      } catch (err) {
        return { sink: s.name, points: 0, error: (err as Error).message };
      }
    }),
  );
}
