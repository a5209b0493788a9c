import { describe, expect, expectTypeOf, it } from 'vitest';
import { ACTIONS, type Action } from '../../src/core/budget/cost-table.ts';
import { InvariantError } from '../../src/core/invariants.ts';
import { ACTION_TABLE, parseDetail, type ActionHandler, type AfterStep, type LoopSteps } from '../../src/core/research/actions.ts';
import { ending, type Ending } from '../../src/core/research/phase.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { ResearchState } from '../../src/core/research/state.ts';
import { EVERY_SECTION_IS_READ, GATE_ORDER, GATE_REGISTRY, REQUIRED_GATES, SCREEN_GATES } from '../../src/core/gates/registry.ts';
import { DEFAULT_GATE_CONFIG, GATE_SECTIONS, GateConfigSchema, TIGHTENING, type SectionName } from '../../src/core/gates/config.ts';
import { gatesJudge } from '../../src/core/gates/judge.ts';
import { makeRun } from './director-fixtures.ts';

/**
 * The action table and the gate registry carry the loop's obligations: an action is one row (the
 * compiler refuses a table that lacks it), and every gate list is derived from one registry.
 */

/** Steps that record what a row asked for, over a small real state. */
function steps(over: Partial<ResearchState> = {}): LoopSteps & { calls: string[] } {
  const runs = ['A', 'B', 'C'].map((symbol, i) => makeRun({ symbol, sector: i === 2 ? 'Energy' : 'Tech' }));
  const state = {
    keys: runs.map((r) => r.key), runs, interval: '1d', phase: { kind: 'research' }, constrainedTo: null, selectionK: 1,
    milestones: new Set(), verdicts: new Map(), ...over,
  } as unknown as ResearchState;
  const calls: string[] = [];
  async function* none(): AsyncGenerator<ResearchEvent, void> { /* nothing to report */ }
  return {
    calls, state,
    policy: { ladderCheck: () => undefined } as unknown as LoopSteps['policy'],
    judge: { required: ['edge'] } as unknown as LoopSteps['judge'],
    runKeys: (keys) => { calls.push(`runKeys ${keys.map((k) => k.symbol).join(' ')}`); return none(); },
    optimize: (kind) => { calls.push(kind); return none(); },
    walkForward: (mode) => { calls.push(`walk_forward ${mode}`); return none(); },
    regimes: () => { calls.push('regimes'); return none(); },
    promote: () => { calls.push('promote'); return promoted(); },
    download: (d) => { calls.push(`download ${d.fetch} ${d.symbols.join(' ')} from ${d.source}`); return none(); },
  };
}

// eslint-disable-next-line require-yield -- a confirmation that reports nothing and ends the session
async function* promoted(): AsyncGenerator<ResearchEvent, Ending> { return ending('PROMOTED', 'confirmed'); }

async function drain(g: AsyncGenerator<ResearchEvent, AfterStep>): Promise<{ events: ResearchEvent[]; after: AfterStep }> {
  const events: ResearchEvent[] = [];
  for (;;) {
    const r = await g.next();
    if (r.done === true) return { events, after: r.value };
    events.push(r.value);
  }
}

describe('the action table', () => {
  it('has exactly one row per priced action, each with a precheck and an execute', () => {
    expect(Object.keys(ACTION_TABLE).sort()).toEqual([...ACTIONS].sort());
    expectTypeOf<keyof typeof ACTION_TABLE>().toEqualTypeOf<Action>();
  });

  it('the compiler refuses a table missing a row: a new action is one row and its handler', () => {
    type Extended = Action | 'bootstrap';
    type Table = { readonly [A in Extended]: A extends Action ? ActionHandler<A> : { precheck(): void } };
    // @ts-expect-error -- 'bootstrap' has no row
    const missing: Table = { ...ACTION_TABLE };
    const complete: Table = { ...ACTION_TABLE, bootstrap: { precheck: () => undefined } };
    expect(Object.keys(complete)).toContain('bootstrap');
    expect(missing).toBeDefined();
  });

  it('constrain_universe: narrows the scope to the kept symbols and records the selection K', async () => {
    const st = steps();
    const d = parseDetail('constrain_universe', { segments: ['Tech'], keep: ['A', 'B'], drop: ['C'], k: 2, tests: [] });
    const { events, after } = await drain(ACTION_TABLE.constrain_universe.execute(st, d));
    expect(after).toBe('judge');
    expect(st.state.constrainedTo).toEqual(['Tech']);
    expect(st.state.selectionK).toBe(2);
    expect(st.state.keys.map((k) => k.symbol)).toEqual(['A', 'B']);
    expect(st.state.runs.map((r) => r.key.symbol)).toEqual(['A', 'B']);
    expect(events).toEqual([{ event: 'note', text: 'scope narrowed to Tech (2 tested symbols kept): a selection among 2 segments screened, so the multiple-testing N is multiplied by 2' }]);
  });

  it('prechecks are the invariants: I4 before tuning, I5 before promotion, I6 for a detail the rules never build', () => {
    const st = steps();
    expect(() => ACTION_TABLE.optimize.precheck(st, parseDetail('optimize', { interval: '1d', symbols: ['A'], params: ['len'] }))).toThrow(InvariantError);
    expect(() => ACTION_TABLE.optimize.precheck(steps({ milestones: new Set(['oos_passed']) }), parseDetail('optimize', { interval: '1d', symbols: ['A'], params: ['len'] }))).not.toThrow();
    const promote = parseDetail('promote', { interval: '1d', symbols: ['A'], fresh: [], segments: ['Tech'], stable_across: 'fresh 0 + holdout' });
    expect(() => ACTION_TABLE.promote.precheck(st, promote)).toThrow('promotion needs every gate passed and a review first (edge)');
    let err: unknown;
    try { parseDetail('promote', { interval: '1d' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvariantError);
    expect((err as InvariantError).code).toBe('I6');
  });

  it('download: one ladder step from the tested interval (I3), then waits: nothing new was tested, so nothing is judged', async () => {
    const ladder = { ladderCheck: (from: string, to: string) => { if (from === '1d' && to !== '4h') throw new InvariantError('I3', `${from} → ${to} is not one step`); } } as unknown as LoopSteps['policy'];
    const st = { ...steps(), policy: ladder };
    const d = parseDetail('download', { from: '1d', interval: '4h', fetch: '1h', symbols: ['A', 'B'], source: 'yahoo' });
    expect(() => ACTION_TABLE.download.precheck(st, d)).not.toThrow();
    expect(() => ACTION_TABLE.download.precheck(st, parseDetail('download', { from: '1d', interval: '1h', fetch: '1h', symbols: ['A'], source: 'yahoo' }))).toThrow('1d → 1h is not one step');
    expect(() => ACTION_TABLE.download.precheck(steps({ interval: null }), d)).toThrow('download needs a tested interval and a target interval');
    const { after } = await drain(ACTION_TABLE.download.execute(st, d));
    expect(after).toBe('wait');
    expect(st.calls).toEqual(['download 1h A B from yahoo']);
    expect(() => parseDetail('download', { from: '1d', interval: '4h', fetch: '1h', symbols: [], source: 'yahoo' })).toThrow(InvariantError);
  });

  it('the initial backtest waits for the rest of the starter screen before the gates judge', async () => {
    const st = steps({ phase: { kind: 'start', rest: ['B', 'C'] } });
    const { after } = await drain(ACTION_TABLE.initial_backtest.execute(st, parseDetail('initial_backtest', { symbols: ['A'], interval: '1d' })));
    expect(after).toBe('wait');
    expect(st.calls).toEqual(['runKeys A']);
    expect(st.state.phase).toEqual({ kind: 'starter', pending: ['B', 'C'] });
    const part = await drain(ACTION_TABLE.add_symbol.execute(st, parseDetail('add_symbol', { symbols: ['B'], interval: '1d', sector: null, purpose: 'starter', tested: 1, positive: 0 })));
    expect(part.after).toBe('judge');
    expect(st.state.phase).toEqual({ kind: 'starter', pending: ['C'] });
    await drain(ACTION_TABLE.add_symbol.execute(st, parseDetail('add_symbol', { symbols: ['C'], interval: '1d', sector: null, purpose: 'starter', tested: 2, positive: 0 })));
    expect(st.state.phase).toEqual({ kind: 'research' });
  });

  it('a one-symbol screen is judged at once; kill and promote end the session with their ending', async () => {
    const one = steps({ phase: { kind: 'start', rest: [] } });
    expect((await drain(ACTION_TABLE.initial_backtest.execute(one, parseDetail('initial_backtest', { symbols: ['A'], interval: '1d' })))).after).toBe('judge');
    expect((await drain(ACTION_TABLE.kill.execute(one, {}))).after).toEqual({ status: 'KILLED', reason: 'killed' });
    const promote = parseDetail('promote', { interval: '1d', symbols: ['A'], fresh: [], segments: ['Tech'], stable_across: 'fresh 0 + holdout' });
    expect((await drain(ACTION_TABLE.promote.execute(one, promote))).after).toEqual({ status: 'PROMOTED', reason: 'confirmed' });
  });
});

describe('the gate registry', () => {
  it('every gate list is derived from it: the order, the required set, the screening run', () => {
    expect(GATE_ORDER).toEqual(GATE_REGISTRY.map((g) => g.name));
    expect(GATE_ORDER).toEqual(['complexity', 'causality', 'viability', 'edge', 'distribution', 'robustness', 'multiple_testing', 'confirmation']);
    expect(REQUIRED_GATES).toEqual(['complexity', 'causality', 'viability', 'edge', 'distribution', 'robustness', 'multiple_testing']);
    expect(gatesJudge().required).toEqual(REQUIRED_GATES);
    expect(SCREEN_GATES.map((g) => g.name)).toEqual(['causality', 'viability', 'edge', 'distribution', 'robustness', 'multiple_testing']);
  });

  it('each config section is one row (schema, defaults, tightening together), and every section is read by exactly one gate', () => {
    const sections = Object.keys(GATE_SECTIONS);
    expect(Object.keys(GateConfigSchema.shape)).toEqual(sections);
    expect(Object.keys(DEFAULT_GATE_CONFIG)).toEqual(sections);
    expect(Object.keys(TIGHTENING)).toEqual(sections);
    for (const name of sections as SectionName[]) {
      expect(DEFAULT_GATE_CONFIG[name]).toEqual(GATE_SECTIONS[name].defaults);
      expect(TIGHTENING[name]).toEqual(GATE_SECTIONS[name].tightening);
      // Every threshold has a direction, and nothing else does.
      expect(Object.keys(TIGHTENING[name]).sort()).toEqual(Object.keys(DEFAULT_GATE_CONFIG[name]).sort());
    }
    const read = GATE_REGISTRY.map((g) => g.config).filter((c) => c !== null);
    expect([...read].sort()).toEqual([...sections].sort());
    expectTypeOf(EVERY_SECTION_IS_READ).toEqualTypeOf<true>();
    // The gate a section belongs to: the edge gate reads `edge`, the confirmation `confirmation`.
    expect(GATE_REGISTRY.find((g) => g.name === 'multiple_testing')!.config).toBe('multipleTesting');
  });
});
