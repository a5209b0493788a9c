import type { Action } from '../budget/cost-table.ts';
import { DetailSchema, type ActionDetail } from '../director/details.ts';
import { InvariantError } from '../invariants.ts';
import { formatZodError } from '../errors.ts';
import type { ResearchEvent } from './events.ts';
import { afterInitial, ending, pendingOf, type Ending } from './phase.ts';
import type { Judge, Policy } from './policy.ts';
import type { SeriesKey } from './run.ts';
import { allGatesPassed, reached, type ResearchState } from './state.ts';

/**
 * The action table (docs/director.md): every action the Director can propose, with the invariants it
 * must satisfy before a credit is spent and what it does once approved. The table is a mapped type over
 * the cost table's actions, so an action without a row — or a row without both handlers — does not
 * compile; adding an action is its price, its detail schema, and one row here.
 */

/** What a proposal of action `A` carries, as the rules wrote it (director/details.ts). */
export type DetailOf<A extends Action> = Extract<ActionDetail, { action: A }>['detail'];

/** The loop's steps a handler may call; each records what it does as it happens. */
export interface LoopSteps {
  readonly state: ResearchState;
  readonly policy: Policy;
  readonly judge: Judge;
  runKeys(keys: SeriesKey[]): AsyncGenerator<ResearchEvent, void>;
  optimize(kind: 'optimize' | 'reoptimize'): AsyncGenerator<ResearchEvent, void>;
  walkForward(mode: 'rolling' | 'anchored'): AsyncGenerator<ResearchEvent, void>;
  regimes(): AsyncGenerator<ResearchEvent, void>;
  /** The confirmation: its ending (PROMOTED, or DEAD with each leg's figures). */
  promote(detail: DetailOf<'promote'>): AsyncGenerator<ResearchEvent, Ending>;
  /** Bars the universe lacks, downloaded and recorded; a failure (offline …) is recorded and said, and the session goes on. */
  download(detail: DetailOf<'download'>): AsyncGenerator<ResearchEvent, void>;
}

/**
 * After a step: `judge` runs the gates and the Reviewer on the new evidence; `wait` does not (the
 * starter screen is not complete yet); an Ending ends the session (kill, the confirmation's verdict).
 */
export type AfterStep = 'judge' | 'wait' | Ending;

export interface ActionHandler<A extends Action> {
  /** The invariants the step must satisfy, checked before its credits are spent (I3, I4, I5). */
  precheck(steps: LoopSteps, detail: DetailOf<A>): void;
  execute(steps: LoopSteps, detail: DetailOf<A>): AsyncGenerator<ResearchEvent, AfterStep>;
}

const none = (): void => undefined;

/** I4: tuning only after an out-of-sample pass. */
function afterOutOfSample(action: 'optimize' | 'reoptimize') {
  return (steps: LoopSteps): void => {
    if (!reached(steps.state, 'oos_passed')) throw new InvariantError('I4', `${action} before an out-of-sample pass: the robustness gate has not passed yet`);
  };
}

export const ACTION_TABLE: { readonly [A in Action]: ActionHandler<A> } = {
  initial_backtest: {
    precheck: none,
    async *execute(steps, d) {
      const s = steps.state;
      s.interval = d.interval;
      s.phase = afterInitial(s.phase);
      yield* steps.runKeys(d.symbols.map((symbol) => ({ symbol, interval: d.interval })));
      return s.phase.kind === 'starter' ? 'wait' : 'judge'; // judged once the starter screen is complete
    },
  },
  add_symbol: {
    precheck: none,
    async *execute(steps, d) {
      const s = steps.state;
      const pending = pendingOf(s.phase).filter((x) => !d.symbols.includes(x));
      // The starter's rest, run: the screen is complete (or still waits for what was not in this step).
      if (s.phase.kind === 'starter') s.phase = pending.length > 0 ? { kind: 'starter', pending } : { kind: 'research' };
      yield* steps.runKeys(d.symbols.map((symbol) => ({ symbol, interval: s.interval ?? d.interval })));
      return 'judge';
    },
  },
  add_interval: {
    precheck(steps, d) {
      if (steps.state.interval === null) throw new InvariantError('I3', 'add_interval needs a tested interval and a target interval');
      steps.policy.ladderCheck(steps.state.interval, d.interval);
    },
    async *execute(steps, d) {
      const s = steps.state;
      steps.policy.ladderCheck(s.interval!, d.interval); // I3, again at the moment of the move
      const symbols = [...new Set(s.keys.map((k) => k.symbol))];
      s.interval = d.interval;
      s.keys = [];
      s.runs = [];
      yield* steps.runKeys(symbols.map((symbol) => ({ symbol, interval: d.interval })));
      return 'judge';
    },
  },
  constrain_universe: {
    precheck: none,
    async *execute(steps, d) {
      // A selection among the K segments screened (docs/director.md): DSR's N is multiplied by K from here on.
      const s = steps.state;
      const kept = new Set(d.keep);
      s.constrainedTo = [...d.segments];
      s.selectionK = d.k;
      s.keys = s.keys.filter((x) => kept.has(x.symbol));
      s.runs = s.runs.filter((r) => kept.has(r.key.symbol));
      yield { event: 'note', text: `scope narrowed to ${d.segments.join(', ')} (${d.keep.length} tested symbols kept): a selection among ${d.k} segments screened, so the multiple-testing N is multiplied by ${d.k}` };
      return 'judge';
    },
  },
  optimize: {
    precheck: afterOutOfSample('optimize'),
    async *execute(steps) {
      yield* steps.optimize('optimize');
      return 'judge';
    },
  },
  reoptimize: {
    precheck: afterOutOfSample('reoptimize'),
    async *execute(steps) {
      yield* steps.optimize('reoptimize');
      return 'judge';
    },
  },
  walk_forward: {
    precheck: none,
    async *execute(steps, d) {
      yield* steps.walkForward(d.mode);
      return 'judge';
    },
  },
  regime_expansion: {
    precheck: none,
    async *execute(steps) {
      yield* steps.regimes();
      return 'judge';
    },
  },
  promote: {
    precheck(steps) {
      const s = steps.state;
      const required = steps.judge.required;
      const missing = required.filter((g) => s.verdicts.get(g)?.pass !== true);
      if (!allGatesPassed(s, required) || !reached(s, 'reviewed')) throw new InvariantError('I5', `promotion needs every gate passed and a review first (${missing.join(', ') || 'no review yet'})`);
      if (reached(s, 'holdout_opened')) throw new InvariantError('I5', 'the holdout of this strategy family was already opened');
    },
    async *execute(steps, d) {
      return yield* steps.promote(d); // the confirmation is its own judgement: PROMOTED or DEAD
    },
  },
  download: {
    // The rung it fetches bars for is one ladder step from where the research runs (I3), as add_interval's.
    precheck(steps, d) {
      if (steps.state.interval === null) throw new InvariantError('I3', 'download needs a tested interval and a target interval');
      steps.policy.ladderCheck(steps.state.interval, d.interval);
    },
    async *execute(steps, d) {
      yield* steps.download(d);
      return 'wait'; // nothing new was tested: the Director offers the step to the new bars next
    },
  },
  kill: {
    precheck: none,
    // eslint-disable-next-line require-yield -- a kill ends the session before anything runs
    async *execute() {
      return ending('KILLED', 'killed');
    },
  },
};

/**
 * A proposal's detail read through the one schema the rules wrote it with. A detail the schema refuses
 * is not a rule-built proposal: I6 (no credit is spent without a Director proposal).
 */
export function parseDetail<A extends Action>(action: A, detail: unknown): DetailOf<A> {
  const r = DetailSchema.safeParse({ action, detail });
  if (!r.success) throw new InvariantError('I6', `the ${action} proposal's detail is not one the rules build (${formatZodError(r.error, 'detail')})`);
  return r.data.detail as DetailOf<A>;
}

/** Action `a`'s row of the table, typed by its action (so its handlers take that action's detail). */
export function handlerOf<A extends Action>(a: A): ActionHandler<A> {
  return ACTION_TABLE[a];
}
