import { describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { runDag } from '../../runtime/runner/scheduler.js';

const fakeSession = {} as SparkSession;

async function schedule(nodes: Array<{ id: string; parents: string[] }>, failing: string[], threads = 3, settled?: Map<string, boolean>, throwing: string[] = []) {
  const ran: string[] = [];
  const skipped: Array<[string, string]> = [];
  const failed: Array<[string, string]> = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  await runDag({
    nodes,
    threads,
    ...(settled ? { settled } : {}),
    openSession: async () => fakeSession,
    skip: (n, because) => skipped.push([n.id, because]),
    fail: (n, error) => failed.push([n.id, (error as Error).message]),
    run: async (n) => {
      if (throwing.includes(n.id)) throw new Error(`${n.id} blew up`);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      // Yield so that independent nodes overlap.
      await new Promise((r) => setTimeout(r, 5));
      ran.push(n.id);
      concurrent--;
      return { ok: !failing.includes(n.id) };
    },
  });
  return { ran, skipped, failed, maxConcurrent };
}

describe('runDag', () => {
  const graph = [
    { id: 'a', parents: [] },
    { id: 'b', parents: ['a'] },
    { id: 'c', parents: ['b'] },
    { id: 'd', parents: ['a'] },
    { id: 'e', parents: ['d', 'c'] },
    { id: 'f', parents: [] },
  ];

  it('runs parents before children', async () => {
    const { ran } = await schedule(graph, []);
    expect(ran).toHaveLength(6);
    for (const n of graph) for (const p of n.parents) expect(ran.indexOf(p)).toBeLessThan(ran.indexOf(n.id));
  });

  it('skips everything downstream of a failure and keeps independent branches going', async () => {
    const { ran, skipped } = await schedule(graph, ['b']);
    expect(ran.sort()).toEqual(['a', 'b', 'd', 'f']);
    expect(skipped).toEqual(expect.arrayContaining([['c', 'b'], ['e', 'c']]));
    expect(skipped).toHaveLength(2);
  });

  it('runs independent nodes in parallel up to --threads', async () => {
    const wide = Array.from({ length: 8 }, (_, i) => ({ id: `n${i}`, parents: [] }));
    expect((await schedule(wide, [], 3)).maxConcurrent).toBe(3);
    expect((await schedule(wide, [], 1)).maxConcurrent).toBe(1);
  });

  it('skips nodes whose already-settled parent (a bronze source) failed', async () => {
    const { ran, skipped } = await schedule([{ id: 'm', parents: ['source.x'] }, { id: 'n', parents: ['source.y'] }], [], 2, new Map([['source.x', false], ['source.y', true]]));
    expect(ran).toEqual(['n']);
    expect(skipped).toEqual([['m', 'source.x']]);
  });

  it('a node whose run throws gets a result and stops what is downstream', async () => {
    const { ran, skipped, failed } = await schedule(graph, [], 3, undefined, ['d']);
    expect(failed).toEqual([['d', 'd blew up']]);
    expect(ran).not.toContain('d');
    expect(skipped).toEqual([['e', 'd']]);
  });

  it('treats parents outside the run as built', async () => {
    const { ran } = await schedule([{ id: 'child', parents: ['not_selected'] }], []);
    expect(ran).toEqual(['child']);
  });
});
