import type { Spec } from '../../core/spec/schema.ts';
import type { ParamValues } from './param-space.ts';
import type { PoolLayout, SeriesWindow } from './pooled-returns.ts';
import type { SharedSeries } from './shared-bars.ts';
import type { TrialOutcome } from './trial-eval.ts';

/** Given once, as workerData: the spec family and the (visible) series every trial runs on. */
export interface WorkerInit {
  spec: Spec;
  series: SharedSeries[];
}

export interface TrialTask {
  params: ParamValues;
  windows: SeriesWindow[];
}

export type ToWorker =
  | ({ type: 'trial'; id: number } & TrialTask)
  /** The pooling layout of `windows`, built once by the pool in shared memory (see shareLayout). */
  | { type: 'layout'; windows: SeriesWindow[]; layout: PoolLayout };

export type FromWorker =
  | { type: 'result'; id: number; outcome: TrialOutcome }
  /** `user`: the error was a UserError (e.g. a param combination the compiler rejects). */
  | { type: 'error'; id: number; message: string; user: boolean };
