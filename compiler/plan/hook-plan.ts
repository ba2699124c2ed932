/**
 * Hooks in the plan: a model's pre-hooks run before its write (after CREATE DATABASE), in the full and
 * the incremental operations alike, so a failing pre-hook stops the model before its table is touched;
 * its post-hooks run after the write and after OPTIMIZE, in `post` (a failure marks the model failed).
 */
import type { ModelHooks, RunHooks } from '../resolve/hooks.js';
import { op, type Operation } from './operations.js';
import type { ModelNode, Plan } from './plan-schema.js';

type ModelOps = Pick<ModelNode, 'full' | 'incremental' | 'post'>;

const afterCreateDatabase = (ops: Operation[], hooks: Operation[]) => {
  const at = ops.findIndex((o) => o.kind !== 'CreateDatabase');
  return at < 0 ? [...ops, ...hooks] : [...ops.slice(0, at), ...hooks, ...ops.slice(at)];
};

export function withModelHooks<T extends ModelOps>(ops: T, hooks: ModelHooks | undefined): T {
  if (!hooks || (!hooks.pre.length && !hooks.post.length)) return ops;
  const pre = hooks.pre.map((query) => op({ kind: 'Hook', when: 'pre', query }));
  const post = hooks.post.map((query) => op({ kind: 'Hook', when: 'post', query }));
  return { ...ops, full: afterCreateDatabase(ops.full, pre), incremental: ops.incremental && afterCreateDatabase(ops.incremental, pre), post: [...ops.post, ...post] };
}

/** The plan's run hooks, when project.yaml declares any. */
export function runHooksOf(hooks: RunHooks | undefined): Pick<Plan, 'hooks'> {
  if (!hooks || (!hooks.start.length && !hooks.end.length)) return {};
  return {
    hooks: {
      onRunStart: hooks.start.map((query) => op({ kind: 'Hook', when: 'run_start', query })),
      onRunEnd: hooks.end.map((query) => op({ kind: 'Hook', when: 'run_end', query })),
    },
  };
}
