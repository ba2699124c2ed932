/**
 * `etl dev` through the CLI: started on a copied fixture project, it prints each update as a JSON
 * line; saving a model with an unknown column brings the located diagnostic, fixing it brings the
 * project back to clean.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, repoRoot, type ProjectCopy } from './helpers.js';

interface DevEvent {
  event: 'ready' | 'update';
  kind?: string;
  files?: string[];
  reanalysed?: string[];
  ms: number;
  errors: number;
  diagnostics: Array<{ code: string; file?: string; line?: number; column?: number; message: string }>;
}

let project: ProjectCopy;
let dev: ChildProcess;
const events: DevEvent[] = [];
const waiters: Array<() => void> = [];

/** The next event printed after `count` events were seen. */
async function nextEvent(count: number, timeoutMs = 60_000): Promise<DevEvent> {
  const deadline = Date.now() + timeoutMs;
  while (events.length <= count) {
    if (Date.now() > deadline) throw new Error(`etl dev printed no event ${count + 1} in ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  return events[count]!;
}

beforeAll(async () => {
  project = copyFixture('shop');
  dev = spawn(process.execPath, [path.join(repoRoot, 'bin/etl.js'), 'dev', '--project', project.dir, '--json', '--no-cache'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: dev.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    events.push(JSON.parse(line) as DevEvent);
    waiters.splice(0).forEach((w) => w());
  });
  const ready = await nextEvent(0, 90_000);
  expect(ready).toMatchObject({ event: 'ready', errors: 0, diagnostics: [] });
}, 120_000);

afterAll(() => {
  dev?.kill('SIGTERM');
  project?.remove();
});

describe('etl dev', () => {
  it('a saved unknown column is reported at its place; the fix brings it back to clean', async () => {
    const file = 'models/gold/fct_orders.sql';
    const original = project.read(file);
    project.write(file, original.replace('  sum(amount) AS revenue', '  sum(amount) AS revenue,\n  max(shipped_at) AS last_ship'));
    const broken = await nextEvent(1);
    expect(broken).toMatchObject({ event: 'update', kind: 'incremental', files: [file], reanalysed: ['model.fct_orders'], errors: 1 });
    expect(broken.diagnostics.map((d) => [d.code, d.file, d.line, d.column, d.message])).toEqual([['ETL161', file, 6, 7, "Unknown column 'shipped_at' (in model fct_orders)"]]);
    expect(broken.ms).toBeGreaterThan(0);

    project.write(file, original);
    const fixed = await nextEvent(2);
    expect(fixed).toMatchObject({ event: 'update', kind: 'incremental', files: [file], errors: 0, diagnostics: [] });
  }, 120_000);
});
