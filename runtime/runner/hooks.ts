/**
 * project.yaml's `on_run_start` / `on_run_end` hooks, run by `etl build` in order on one session:
 * each is a result of its own (kind `hook`, id `hook.on_run_start.1`), a Spark error located at the
 * hook's file:line:col like a model's. A failing start hook stops the build before any node runs;
 * end hooks run after the nodes, whatever their outcome.
 */
import type { Operation } from '../../compiler/plan/operations.js';
import type { Engine } from '../engines/engine.js';
import { errorResult } from './node-error.js';
import type { NodeResult } from './results.js';

/** Runs `hooks` in order, recording one result each; false when one failed (the rest are not run). */
export async function runRunHooks(engine: Engine, hooks: readonly Operation[], name: 'on_run_start' | 'on_run_end', projectDir: string, record: (r: NodeResult) => void): Promise<boolean> {
  if (!hooks.length) return true;
  const session = await engine.openSession();
  for (const [i, hook] of hooks.entries()) {
    const t0 = Date.now();
    const id = `hook.${name}.${i + 1}`;
    try {
      await session.execute(hook);
      record({ id, kind: 'hook', name: `${name} ${i + 1}`, status: 'success', startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0 });
    } catch (e) {
      record(errorResult(e, id, 'hook', `${name} ${i + 1}`, t0, 'project.yaml', projectDir));
      return false;
    }
  }
  return true;
}
