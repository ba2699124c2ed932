/**
 * `etl lineage MODEL.COLUMN` prints value edges as arrows that point the way the values flow:
 * upstream lines read "<- where it comes from", downstream lines "-> where it goes".
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runEtl } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-lineage-arrows-'));
  await cp(fixture('lineage'), dir, { recursive: true, filter: (src) => !src.includes('/.etl') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The tree lines under a heading, without their indent and classification tags. */
function treeLines(stdout: string, heading: string): string[] {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.trim() === heading);
  expect(at, `no '${heading}' in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('    ')) break;
    out.push(line.trim().replace(/\s+\[.*\]$/, ''));
  }
  return out;
}

describe('etl lineage arrows', () => {
  it('--direction down points each edge at the column the value flows into', async () => {
    const result = await runEtl(['lineage', '--project', dir, 'stg_orders.amount', '--direction', 'down']);
    expect(result.code, result.stderr).toBe(0);
    const lines = treeLines(result.stdout, 'downstream:');
    expect(lines).toEqual(['-> customer_orders.revenue', '-> top_customers.revenue', '-> order_ranks.amount', '-> order_ranks.customer_total']);
    expect(result.stdout).not.toContain('<-');
  }, 120_000);

  it('--direction up keeps "<-" for where the value comes from', async () => {
    const result = await runEtl(['lineage', '--project', dir, 'stg_orders.amount', '--direction', 'up']);
    expect(result.code, result.stderr).toBe(0);
    expect(treeLines(result.stdout, 'upstream (values):')).toContain('<- source:shop.orders.amount');
    expect(result.stdout).not.toContain('->');
  }, 120_000);
});
