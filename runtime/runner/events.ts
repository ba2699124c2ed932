/** Run events, and the three ways to show them: live view (TTY), plain lines, JSON lines. */
import type { NodeResult } from './results.js';

export type RunEvent =
  | { event: 'run_start'; command: 'build' | 'test' | 'seed'; nodes: number; threads: number }
  | { event: 'spark_starting' }
  | { event: 'spark_ready'; host: string; port: number; reused: boolean; ms: number }
  | { event: 'node_start'; id: string; kind: NodeResult['kind']; name: string }
  | ({ event: 'node_end' } & NodeResult)
  | { event: 'run_end'; success: boolean; elapsedMs: number; counts: Record<string, number>; runResults: string };

export interface Reporter {
  emit(e: RunEvent): void;
  close(): void;
}

type Write = (s: string) => void;

const STATUS_LABEL: Record<NodeResult['status'], string> = {
  success: 'OK',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

const COLOR: Record<NodeResult['status'], string> = {
  success: '\x1b[32m',
  pass: '\x1b[32m',
  warn: '\x1b[33m',
  fail: '\x1b[31m',
  error: '\x1b[31m',
  skipped: '\x1b[90m',
};

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function describeResult(r: NodeResult, color = false): string {
  const label = STATUS_LABEL[r.status].padEnd(5);
  const status = color ? `${COLOR[r.status]}${label}\x1b[0m` : label;
  const what: string[] = [];
  if (r.mode && r.mode !== 'ephemeral') what.push(r.mode);
  if (r.rows !== undefined && r.kind === 'model') what.push(`${r.rows.toLocaleString('en-US')} rows`);
  if (r.failures !== undefined && r.kind !== 'model') what.push(`${r.failures} failing rows`);
  const detail = what.length ? ` (${what.join(', ')})` : '';
  const timing = r.status === 'skipped' ? '' : ` in ${secs(r.durationMs)}`;
  let line = `${status} ${r.kind.padEnd(9)} ${r.name}${detail}${timing}`;
  // A skipped test's reason is its model's; saying it once per test is noise.
  const showMessage = !!r.message && r.status !== 'success' && r.status !== 'pass' && !(r.status === 'skipped' && r.kind !== 'model');
  if (showMessage) {
    const where = r.location ? `${r.location.file}${r.location.line ? `:${r.location.line}` : ''}${r.location.column ? `:${r.location.column}` : ''}: ` : '';
    line += `\n      ${where}${(r.message ?? "").split('\n').join('\n      ')}`;
  }
  return line;
}

function summary(e: Extract<RunEvent, { event: 'run_end' }>): string {
  const parts = Object.entries(e.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return `${e.success ? 'Done' : 'Finished with failures'} in ${secs(e.elapsedMs)}: ${parts.join(', ') || 'nothing to do'}. Results: ${e.runResults}`;
}

export function jsonReporter(write: Write = (s) => process.stdout.write(s)): Reporter {
  return { emit: (e) => write(`${JSON.stringify(e)}\n`), close() {} };
}

export function plainReporter(write: Write = (s) => process.stdout.write(s)): Reporter {
  let total = 0;
  let finished = 0;
  return {
    emit(e) {
      switch (e.event) {
        case 'run_start':
          total = e.nodes;
          write(`Running ${e.nodes} nodes with ${e.threads} thread${e.threads === 1 ? '' : 's'}\n`);
          break;
        case 'spark_starting':
          write('Connecting to Spark (starting one if none is warm)...\n');
          break;
        case 'spark_ready':
          write(`Spark ${e.reused ? 'reused' : 'started'} at ${e.host}:${e.port} (${secs(e.ms)})\n`);
          break;
        case 'node_end':
          finished++;
          write(`[${String(finished).padStart(String(total).length)}/${total}] ${describeResult(e)}\n`);
          break;
        case 'run_end':
          write(`${summary(e)}\n`);
          break;
        default:
          break;
      }
    },
    close() {},
  };
}

/** Finished nodes scroll above; the running ones stay in a block at the bottom, redrawn in place. */
export function liveReporter(stream: NodeJS.WriteStream = process.stdout): Reporter {
  const running = new Map<string, { name: string; kind: string; since: number }>();
  let drawn = 0;
  let total = 0;
  let finished = 0;
  const clear = () => {
    if (drawn) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    const lines = [...running.values()].map((r) => `  \x1b[36m…\x1b[0m ${r.kind.padEnd(9)} ${r.name} ${secs(Date.now() - r.since)}`);
    if (total) lines.push(`  ${finished}/${total} done, ${running.size} running`);
    if (lines.length) stream.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    clear();
    draw();
  }, 250);
  timer.unref();
  return {
    emit(e) {
      clear();
      switch (e.event) {
        case 'run_start':
          total = e.nodes;
          stream.write(`Running ${e.nodes} nodes with ${e.threads} thread${e.threads === 1 ? '' : 's'}\n`);
          break;
        case 'spark_starting':
          stream.write('Connecting to Spark (starting one if none is warm)...\n');
          break;
        case 'spark_ready':
          stream.write(`Spark ${e.reused ? 'reused' : 'started'} at ${e.host}:${e.port} (${secs(e.ms)})\n`);
          break;
        case 'node_start':
          running.set(e.id, { name: e.name, kind: e.kind, since: Date.now() });
          break;
        case 'node_end':
          running.delete(e.id);
          finished++;
          stream.write(`${describeResult(e, true)}\n`);
          break;
        case 'run_end':
          stream.write(`${summary(e)}\n`);
          break;
      }
      draw();
    },
    close() {
      clearInterval(timer);
      clear();
    },
  };
}

export function pickReporter(opts: { json?: boolean; stream?: NodeJS.WriteStream }): Reporter {
  const stream = opts.stream ?? process.stdout;
  if (opts.json) return jsonReporter((s) => stream.write(s));
  return stream.isTTY ? liveReporter(stream) : plainReporter((s) => stream.write(s));
}
