import { describe, expect, it } from 'vitest';
import { describeResult, jsonReporter, liveReporter, plainReporter, type RunEvent } from '../../runtime/runner/events.js';

const events: RunEvent[] = [
  { event: 'run_start', command: 'build', nodes: 3, threads: 2 },
  { event: 'spark_ready', host: '127.0.0.1', port: 1234, reused: true, ms: 10 },
  { event: 'node_start', id: 'model.a', kind: 'model', name: 'silver.a' },
  { event: 'node_end', id: 'model.a', kind: 'model', name: 'silver.a', status: 'success', durationMs: 1500, mode: 'incremental', rows: 1234 },
  {
    event: 'node_end',
    id: 'model.b',
    kind: 'model',
    name: 'gold.b',
    status: 'error',
    durationMs: 200,
    message: '[UNRESOLVED_COLUMN] A column `x` cannot be resolved.',
    location: { file: 'models/gold/b.sql', line: 4, column: 3 },
  },
  { event: 'node_end', id: 'model.c', kind: 'model', name: 'gold.c', status: 'skipped', durationMs: 0, message: 'skipped: upstream model.b failed' },
  { event: 'run_end', success: false, elapsedMs: 4000, counts: { success: 1, error: 1, skipped: 1 }, runResults: 'target/run_results.json' },
];

describe('progress output', () => {
  it('JSON mode writes one parseable event per line, in order', () => {
    let out = '';
    const r = jsonReporter((s) => (out += s));
    for (const e of events) r.emit(e);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(events.map((e) => e.event));
  });

  it('plain mode prints one line per finished node with status, rows and the error location', () => {
    let out = '';
    const r = plainReporter((s) => (out += s));
    for (const e of events) r.emit(e);
    expect(out).toContain('[1/3] OK    model     silver.a (incremental, 1,234 rows) in 1.5s');
    expect(out).toContain('[2/3] ERROR model     gold.b in 0.2s\n      models/gold/b.sql:4:3: [UNRESOLVED_COLUMN] A column `x` cannot be resolved.');
    expect(out).toContain('[3/3] SKIP  model     gold.c\n      skipped: upstream model.b failed');
    expect(out).toContain('Finished with failures in 4.0s: 1 success, 1 error, 1 skipped');
  });

  it('live mode redraws the running block in place and leaves finished lines above it', () => {
    let out = '';
    const stream = { isTTY: true, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const r = liveReporter(stream);
    for (const e of events.slice(0, 3)) r.emit(e);
    expect(out).toMatch(/…\x1b\[0m model {5}silver\.a/);
    r.emit(events[3]!);
    r.close();
    // The running line was erased (cursor up + clear) before the finished line was written.
    expect(out).toMatch(/\x1b\[\d+A\x1b\[0J[^]*OK {3}\x1b\[0m model {5}silver\.a/);
  });

  it('describes tests by failing rows, not rows written', () => {
    expect(describeResult({ id: 't', kind: 'test', name: 'orders.unique.id', status: 'warn', durationMs: 10, failures: 3, message: '3 failing rows' })).toBe(
      'WARN  test      orders.unique.id (3 failing rows) in 0.0s\n      3 failing rows',
    );
  });
});
