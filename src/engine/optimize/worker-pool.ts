import { Worker } from 'node:worker_threads';
import { UserError } from '../../core/errors.ts';
import type { Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { poolLayout, shareLayout, type PoolLayout, type SeriesWindow } from './pooled-returns.ts';
import { shareBars } from './shared-bars.ts';
import { windowsKey, type TrialOutcome } from './trial-eval.ts';
import type { FromWorker, ToWorker, TrialTask, WorkerInit } from './worker-protocol.ts';

// Compiled (dist/, as bin/gauntlet.js runs): the worker is the compiled trial-worker.js and starts
// without a loader. From TypeScript sources (tests, `tsx src/cli.ts`): worker-entry.js installs tsx first.
const COMPILED = !import.meta.url.endsWith('.ts');
const ENTRY = new URL(COMPILED ? './trial-worker.js' : './worker-entry.js', import.meta.url);
/**
 * Node flags for the compiled worker: none. A worker inherits its parent's flags by default, and a
 * parent started through a loader (tsx: `--require …preflight.cjs --import …loader.mjs`) would make
 * every compiled worker load it too, for nothing: that doubled a worker's start-up (about 110 ms
 * against 220 ms, median of nine, same machine and load). From sources, worker-entry.js registers
 * tsx itself, and the parent's flags are left as they are.
 */
const EXEC_ARGV: string[] | undefined = COMPILED ? [] : undefined;
/** Trials in flight per worker: two, so a worker never idles while its next message is on the way. */
const IN_FLIGHT = 2;

export interface PoolOptions {
  /** Worker threads (≥ 1). */
  workers: number;
  /** The worker script (tests substitute a failing one). */
  entry?: URL;
  /**
   * The pooling layout of a set of windows over these series, when the caller has it already (the
   * inline evaluator of an automatic run); otherwise the pool builds it, once per set of windows.
   */
  layoutOf?: (windows: readonly SeriesWindow[]) => PoolLayout;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Job {
  tasks: readonly TrialTask[];
  out: (TrialOutcome | undefined)[];
  next: number;
  done: number;
  resolve: (o: TrialOutcome[]) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of trial workers over one spec family and one set of series. The series are copied once into
 * shared memory and every worker reads them there. Trials go to whichever worker is free; results come
 * back by trial index, so the output order (and every number) is independent of the worker count.
 * A worker that throws, crashes or exits fails the running job with an Error naming it, and the pool
 * terminates every worker: nothing waits on a dead thread. `close()` must be called in any case.
 */
export class TrialPool {
  private readonly slots: Slot[] = [];
  private job: Job | null = null;
  private failure: Error | null = null;
  private closing = false;
  /** Windows whose layout every worker has been sent. */
  private readonly layoutsSent = new Set<string>();
  private readonly layoutOf: (windows: readonly SeriesWindow[]) => PoolLayout;

  constructor(spec: Spec, series: readonly Bars[], opts: PoolOptions) {
    this.layoutOf = opts.layoutOf ?? ((w) => poolLayout(series, w));
    const init: WorkerInit = { spec, series: series.map(shareBars) };
    for (let i = 0; i < opts.workers; i++) {
      const worker = new Worker(opts.entry ?? ENTRY, { workerData: init, ...(EXEC_ARGV === undefined ? {} : { execArgv: EXEC_ARGV }) });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
      worker.on('error', (e: Error) => this.fail(new Error(`optimizer worker ${i + 1} of ${opts.workers} failed: ${e.message}`)));
      worker.on('messageerror', (e: Error) => this.fail(new Error(`optimizer worker ${i + 1}: message could not be read: ${e.message}`)));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`optimizer worker ${i + 1} of ${opts.workers} exited unexpectedly (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs the tasks; outcome i belongs to task i. One job at a time. */
  run(tasks: readonly TrialTask[]): Promise<TrialOutcome[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('trial pool is closed'));
    if (this.job !== null) return Promise.reject(new Error('trial pool is busy: one job at a time'));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.sendLayouts(tasks);
      this.job = { tasks, out: new Array<TrialOutcome | undefined>(tasks.length), next: 0, done: 0, resolve, reject };
      for (const s of this.slots) this.feed(s);
    });
  }

  /**
   * Builds each new set of windows' layout once, here, and shares it with every worker ahead of the
   * trials that use it (a port delivers messages in order).
   */
  private sendLayouts(tasks: readonly TrialTask[]): void {
    for (const t of tasks) {
      const key = windowsKey(t.windows);
      if (this.layoutsSent.has(key)) continue;
      this.layoutsSent.add(key);
      const msg: ToWorker = { type: 'layout', windows: t.windows, layout: shareLayout(this.layoutOf(t.windows)) };
      for (const s of this.slots) s.worker.postMessage(msg);
    }
  }

  private feed(slot: Slot): void {
    const job = this.job;
    if (job === null) return;
    while (slot.inFlight < IN_FLIGHT && job.next < job.tasks.length) {
      const id = job.next++;
      const msg: ToWorker = { type: 'trial', id, ...job.tasks[id]! };
      slot.inFlight++;
      slot.worker.postMessage(msg);
    }
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const job = this.job;
    if (job === null) return;
    slot.inFlight--;
    if (msg.type === 'error') {
      const t = job.tasks[msg.id];
      const where = t === undefined ? '' : ` (params ${JSON.stringify(t.params)})`;
      this.fail(msg.user ? new UserError(`${msg.message}${where}`) : new Error(`optimizer trial failed${where}: ${msg.message}`));
      return;
    }
    job.out[msg.id] = msg.outcome;
    job.done++;
    if (job.done === job.tasks.length) {
      this.job = null;
      job.resolve(job.out as TrialOutcome[]);
      return;
    }
    this.feed(slot);
  }

  private fail(e: Error): void {
    if (this.failure !== null) return;
    this.failure = e;
    const job = this.job;
    this.job = null;
    void this.terminate();
    job?.reject(e);
  }

  private async terminate(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Terminates every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closing) {
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
      return;
    }
    await this.terminate();
  }
}
