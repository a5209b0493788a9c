import { availableParallelism, loadavg } from 'node:os';
import { UserError } from '../../core/errors.ts';
import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { TrialEvaluator, type TrialOutcome } from './trial-eval.ts';
import type { TrialTask } from './worker-protocol.ts';
import { TrialPool } from './worker-pool.ts';

/**
 * Compiled (dist/, as bin/gauntlet.js runs), a worker starts in tens of milliseconds; from TypeScript
 * sources (tests, `tsx src/cli.ts`) it must first load the TypeScript loader: 0.5–1 s on a small VM.
 */
const COMPILED = !import.meta.url.endsWith('.ts');

/**
 * Inline work, in ms, an automatic runner does before it starts threads: jobs shorter than this
 * finish on this thread alone. Not lowered for compiled workers: on a machine whose cores are busy
 * with other work, threads started early made a 1–3 s job slower than inline (bench optimize).
 */
export const INLINE_BUDGET_MS = 1000;
/** What starting a worker costs here (a fresh isolate and the engine; from sources, the loader too). */
export const WORKER_STARTUP_MS = COMPILED ? 200 : 1000;

export interface RunnerOptions {
  /**
   * Worker threads. A number is obeyed exactly (0: every trial inline on this thread). Unset:
   * automatic — trials run inline until INLINE_BUDGET_MS is spent, and only the rest go to a pool of
   * `os.availableParallelism()` workers (none when there is one core, or when other work keeps the
   * cores busy: see freeCores).
   */
  workers?: number | undefined;
  /** The automatic mode's budget (tests shrink it). */
  inlineBudgetMs?: number;
  /** The 1-minute load average the automatic mode reads (tests fix it); default os.loadavg()[0]. */
  loadAverage?: () => number;
}

/**
 * Cores this job could use: all of them, less the run queue of everything else (the load average
 * less this thread, which is running). Threads only pay when a second core is actually free: on a
 * machine whose cores other processes keep busy, workers only add start-up and contention, and the
 * automatic mode measured slower than inline there (bench optimize, load 8 on 2 cores).
 */
export function freeCores(cores: number, loadAverage: number): number {
  return cores - Math.max(0, loadAverage - 1);
}

/** Checks a requested worker count: a non-negative integer, or unset. */
export function checkWorkers(workers: number | undefined): void {
  if (workers !== undefined && (!Number.isSafeInteger(workers) || workers < 0)) {
    throw new UserError(`optimize: workers must be a non-negative integer, got ${workers}`);
  }
}

/**
 * Runs trial jobs inline, on a worker pool, or (automatic) inline first and then on a pool started
 * on demand. Every path runs the same TrialEvaluator code on the same inputs, so outcomes are
 * identical whichever path a trial took. The pool starts lazily, never with more workers than the
 * job has trials left, and `close()` (always call it) terminates it.
 */
export class TrialRunner {
  private inline: TrialEvaluator | null = null;
  private pool: TrialPool | null = null;
  private budget: number;

  constructor(private readonly spec: Spec, private readonly series: readonly Bars[], private readonly opts: RunnerOptions = {}) {
    checkWorkers(opts.workers);
    this.budget = opts.workers === undefined ? (opts.inlineBudgetMs ?? INLINE_BUDGET_MS) : opts.workers === 0 ? Infinity : 0;
  }

  async run(tasks: readonly TrialTask[]): Promise<TrialOutcome[]> {
    const out: TrialOutcome[] = [];
    const t0 = performance.now();
    while (out.length < tasks.length && performance.now() - t0 < this.budget) {
      this.inline ??= new TrialEvaluator(this.spec, this.series);
      const t = tasks[out.length]!;
      out.push(this.inline.evaluate(t.params, t.windows));
    }
    this.budget = Math.max(0, this.budget - (performance.now() - t0));
    if (out.length === tasks.length) return out;
    const rest = tasks.slice(out.length);
    const cores = this.opts.workers ?? availableParallelism();
    // Auto mode: threads only pay when the work left, spread over the cores, saves more than their
    // start-up; the trials run so far tell what one costs.
    const perTrial = out.length > 0 ? (performance.now() - t0) / out.length : Infinity;
    const notWorthIt = this.pool === null && rest.length * perTrial * (1 - 1 / Math.max(1, cores)) <= WORKER_STARTUP_MS;
    const busy = this.pool === null && freeCores(cores, (this.opts.loadAverage ?? (() => loadavg()[0]!))()) < 1.5;
    if (this.opts.workers === undefined && (cores <= 1 || notWorthIt || busy)) {
      this.inline ??= new TrialEvaluator(this.spec, this.series);
      return [...out, ...rest.map((t) => this.inline!.evaluate(t.params, t.windows))];
    }
    // The pool reuses the inline evaluator's layouts rather than building them again.
    const inline = (this.inline ??= new TrialEvaluator(this.spec, this.series));
    this.pool ??= new TrialPool(this.spec, this.series, { workers: Math.min(cores, rest.length), layoutOf: (w) => inline.layout(w) });
    return [...out, ...(await this.pool.run(rest))];
  }

  /** Worker threads started so far (0 when everything ran inline). */
  get threads(): number {
    return this.pool?.size ?? 0;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
