/**
 * Submits a build's steps to EMR and follows them to the end. All steps go in at once, in
 * plan order (EMR starts steps first-in first-out, so a model's parents are always ahead of
 * it); each step's driver waits for its parents' results on the cluster. This side polls step
 * states, and when a step fails or is cancelled it cancels the downstream steps that have not
 * started, reporting them as skipped, as the local build does.
 */
import { AddJobFlowStepsCommand, CancelStepsCommand, ListStepsCommand } from '@aws-sdk/client-emr';
import type { SdkClient } from './clients.js';
import { AwsTargetError, awsCall } from './errors.js';
import type { StepRequest } from './emr-steps.js';

export type StepState = 'PENDING' | 'CANCEL_PENDING' | 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'INTERRUPTED';
export type ModelStatus = 'success' | 'error' | 'skipped' | 'cancelled' | 'submitted';

export interface StepOutcome {
  nodeId: string;
  stepId?: string;
  state?: StepState;
  status: ModelStatus;
  /** Why it failed, was skipped or cancelled. */
  message?: string;
  logFile?: string;
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
}

export type StepEvent =
  | { kind: 'submitted'; nodeId: string; stepId: string }
  | { kind: 'started'; nodeId: string; stepId: string }
  | { kind: 'finished'; outcome: StepOutcome };

export interface RunStepsOptions {
  emr: SdkClient;
  clusterId: string;
  steps: StepRequest[];
  /** Return right after submitting (steps keep running on the cluster). */
  wait: boolean;
  pollIntervalMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Aborting cancels every step that has not finished. */
  signal?: AbortSignal;
  onEvent?: (e: StepEvent) => void;
}

const TERMINAL = new Set<StepState>(['COMPLETED', 'CANCELLED', 'FAILED', 'INTERRUPTED']);
const SUBMIT_BATCH = 256; // AddJobFlowSteps takes at most 256 steps per call
const LIST_BATCH = 10; // ListSteps filters at most 10 step ids per call

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runSteps(opts: RunStepsOptions): Promise<StepOutcome[]> {
  const { emr, clusterId, steps } = opts;
  const sleep = opts.sleep ?? defaultSleep;
  const emit = opts.onEvent ?? (() => {});

  const stepIdOf = new Map<string, string>();
  for (let i = 0; i < steps.length; i += SUBMIT_BATCH) {
    const batch = steps.slice(i, i + SUBMIT_BATCH);
    const out = await awsCall('elasticmapreduce:AddJobFlowSteps', clusterId, () =>
      emr.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: batch.map((s) => s.step) })),
    );
    const ids: string[] = out.StepIds ?? [];
    if (ids.length !== batch.length) {
      throw new AwsTargetError('EMR_SUBMIT_MISMATCH', `AddJobFlowSteps returned ${ids.length} step ids for ${batch.length} steps`);
    }
    batch.forEach((s, k) => {
      stepIdOf.set(s.nodeId, ids[k]!);
      emit({ kind: 'submitted', nodeId: s.nodeId, stepId: ids[k]! });
    });
  }
  if (!opts.wait) {
    return steps.map((s) => ({ nodeId: s.nodeId, stepId: stepIdOf.get(s.nodeId)!, state: 'PENDING', status: 'submitted' }));
  }

  const children = new Map<string, string[]>();
  for (const s of steps) for (const p of s.requires) children.set(p, [...(children.get(p) ?? []), s.nodeId]);

  const outcomes = new Map<string, StepOutcome>();
  const started = new Set<string>();
  /** Steps this build cancelled, with the reason to report. */
  const cancelledBy = new Map<string, { status: ModelStatus; message: string }>();
  let aborted = false;

  const cancel = async (nodeIds: string[], status: ModelStatus, message: string) => {
    const pending = nodeIds.filter((m) => !outcomes.has(m) && !cancelledBy.has(m));
    if (!pending.length) return;
    for (const m of pending) cancelledBy.set(m, { status, message });
    const ids = pending.map((m) => stepIdOf.get(m)!);
    for (let i = 0; i < ids.length; i += SUBMIT_BATCH) {
      await awsCall('elasticmapreduce:CancelSteps', clusterId, () =>
        emr.send(new CancelStepsCommand({ ClusterId: clusterId, StepIds: ids.slice(i, i + SUBMIT_BATCH), StepCancellationOption: 'SEND_INTERRUPT' })),
      );
    }
  };

  const descendants = (id: string): string[] => {
    const seen = new Set<string>();
    const walk = (x: string) => {
      for (const c of children.get(x) ?? []) if (!seen.has(c)) (seen.add(c), walk(c));
    };
    walk(id);
    return steps.map((s) => s.nodeId).filter((m) => seen.has(m));
  };

  while (outcomes.size < steps.length) {
    if (opts.signal?.aborted && !aborted) {
      aborted = true;
      await cancel(steps.map((s) => s.nodeId), 'cancelled', 'build cancelled by the user');
    }
    const open = steps.map((s) => s.nodeId).filter((m) => !outcomes.has(m));
    for (let i = 0; i < open.length; i += LIST_BATCH) {
      const batch = open.slice(i, i + LIST_BATCH);
      const out = await awsCall('elasticmapreduce:ListSteps', clusterId, () =>
        emr.send(new ListStepsCommand({ ClusterId: clusterId, StepIds: batch.map((m) => stepIdOf.get(m)!) })),
      );
      const byId = new Map<string, any>(((out.Steps ?? []) as any[]).map((s) => [s.Id, s]));
      for (const nodeId of batch) {
        const summary = byId.get(stepIdOf.get(nodeId)!);
        if (!summary) continue;
        const state = summary.Status?.State as StepState;
        if (state === 'RUNNING' && !started.has(nodeId)) {
          started.add(nodeId);
          emit({ kind: 'started', nodeId, stepId: summary.Id });
        }
        if (!TERMINAL.has(state)) continue;
        const outcome = toOutcome(nodeId, summary, cancelledBy.get(nodeId));
        outcomes.set(nodeId, outcome);
        emit({ kind: 'finished', outcome });
        if (outcome.status !== 'success') {
          const what = outcome.status === 'error' ? 'failed' : outcome.status;
          await cancel(descendants(nodeId), 'skipped', `skipped: upstream ${nodeId} ${what}`);
        }
      }
    }
    if (outcomes.size < steps.length) await sleep(opts.pollIntervalMs);
  }
  return steps.map((s) => outcomes.get(s.nodeId)!);
}

function toOutcome(nodeId: string, summary: any, cancelled?: { status: ModelStatus; message: string }): StepOutcome {
  const state = summary.Status?.State as StepState;
  const timeline = summary.Status?.Timeline ?? {};
  const startedAt: Date | undefined = timeline.StartDateTime ? new Date(timeline.StartDateTime) : undefined;
  const endedAt: Date | undefined = timeline.EndDateTime ? new Date(timeline.EndDateTime) : undefined;
  const base: StepOutcome = {
    nodeId,
    stepId: summary.Id,
    state,
    status: 'error',
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(startedAt && endedAt ? { durationMs: endedAt.getTime() - startedAt.getTime() } : {}),
  };
  if (state === 'COMPLETED') return { ...base, status: 'success' };
  if (state === 'FAILED') {
    const f = summary.Status?.FailureDetails ?? {};
    return {
      ...base,
      status: 'error',
      message: [f.Reason, f.Message].filter(Boolean).join(': ') || 'step failed',
      ...(f.LogFile ? { logFile: f.LogFile } : {}),
    };
  }
  // CANCELLED or INTERRUPTED: ours (skip or user abort) or someone else's.
  if (cancelled) return { ...base, status: cancelled.status, message: cancelled.message };
  return { ...base, status: 'cancelled', message: `step ${state.toLowerCase()} outside this build (console, CLI or cluster termination)` };
}
