/**
 * Runs a DAG of nodes on N workers, each worker holding its own Spark session. A node starts as
 * soon as its parents are done (so a slow model does not hold up a whole stage); a node whose
 * parent failed or was skipped is skipped, while independent branches go on.
 */

export interface DagNode {
  id: string;
  /** Parents within this run; parents outside the run are assumed built. */
  parents: string[];
}

export interface NodeVerdict {
  /** False when the node failed in a way that must stop its descendants. */
  ok: boolean;
}

export interface ScheduleOptions<N extends DagNode, S> {
  nodes: N[];
  threads: number;
  openSession(): Promise<S>;
  run(node: N, session: S): Promise<NodeVerdict>;
  skip(node: N, because: string): void;
  /** A node whose run threw: it must still get a result (the run records it as an error). */
  fail(node: N, error: unknown): void;
  /** Parents already settled before scheduling (e.g. bronze sources), by id. */
  settled?: Map<string, boolean>;
}

export async function runDag<N extends DagNode, S>(opts: ScheduleOptions<N, S>): Promise<void> {
  const done = new Map<string, boolean>(opts.settled ?? []);
  const inRun = new Set(opts.nodes.map((n) => n.id));
  const pending = new Set(opts.nodes.map((n) => n.id));
  const byId = new Map(opts.nodes.map((n) => [n.id, n]));
  const running = new Set<string>();
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  /** Next runnable node in the given order; marks skipped the ones blocked by a failed parent. */
  const next = (): N | undefined => {
    for (let progress = true; progress; ) {
      progress = false;
      for (const id of pending) {
        const node = byId.get(id)!;
        const relevant = node.parents.filter((p) => inRun.has(p) || done.has(p));
        const failed = relevant.find((p) => done.get(p) === false);
        if (failed) {
          pending.delete(id);
          done.set(id, false);
          opts.skip(node, failed);
          progress = true;
          continue;
        }
        if (relevant.every((p) => done.get(p) === true)) {
          pending.delete(id);
          return node;
        }
      }
    }
    return undefined;
  };

  const worker = async (session: S) => {
    for (;;) {
      const node = next();
      if (!node) {
        if (pending.size === 0) return;
        if (running.size === 0) {
          // Nothing runs and nothing can start: parents outside settled/run state. Should not happen.
          for (const id of pending) opts.skip(byId.get(id)!, 'unresolved dependency');
          pending.clear();
          notify();
          return;
        }
        await new Promise<void>((r) => {
          const prev = wake;
          wake = () => {
            prev?.();
            r();
          };
        });
        continue;
      }
      running.add(node.id);
      let ok = false;
      try {
        ok = (await opts.run(node, session)).ok;
      } catch (error) {
        ok = false;
        opts.fail(node, error);
      } finally {
        running.delete(node.id);
        done.set(node.id, ok);
        notify();
      }
    }
  };

  const threads = Math.max(1, Math.min(opts.threads, opts.nodes.length || 1));
  const sessions = await Promise.all(Array.from({ length: threads }, () => opts.openSession()));
  await Promise.all(sessions.map((s) => worker(s)));
}
