import { describe, expect, it } from 'vitest';
import type { OfferedProposal, ResearchEvent } from '../../src/core/research/events.ts';
import type { ApprovalDecision } from '../../src/core/research/ports.ts';
import type { Metrics } from '../../src/core/research/run.ts';
import { UserError } from '../../src/core/errors.ts';
import { drive } from '../../src/ui/driver.ts';
import { createConsoleStore, type ConsoleStore } from '../../src/ui/state/store.ts';
import type { IdeaChoice } from '../../src/ui/state/types.ts';

/**
 * The console store on its own: the reducer against hand-written event sequences, and each inbox
 * action. The effects are the composition root's side (start, abort, close): here they only note
 * that they were asked for.
 */

function makeStore(autoApprove: number | null = null): { store: ConsoleStore; calls: string[]; started: IdeaChoice[] } {
  const calls: string[] = [];
  const started: IdeaChoice[] = [];
  const store = createConsoleStore({
    settings: { storePath: './.gauntlet', llm: 'offline — rules', llmMessage: null, autoApprove, budget: 100, color: false },
    examples: [{ label: 'a', kind: 'text', text: 'buy when rsi(2) < 10' }, { label: 'b', kind: 'text', text: 'buy when close > sma(20)' }],
  }, {
    start: (c) => { calls.push('start'); started.push(c); },
    abort: () => { calls.push('abort'); },
    close: async () => { calls.push('close'); },
    browse: () => { calls.push('browse'); },
    runDetail: () => { calls.push('runDetail'); },
    verify: () => { calls.push('verify'); },
    exportDossier: () => { calls.push('export'); },
  });
  return { store, calls, started };
}

const metrics = (trades: number, sharpe: number): Metrics => ({
  total_return: 0.1, cagr: 0.05, sharpe, sortino: 1, max_drawdown: 0.2, trades, trades_per_year: trades / 2, avg_trade_return: 0.01, win_rate: 0.5, profit_factor: 1.5, exposure: 0.3,
});

const proposal = (id: string, action: OfferedProposal['action'], cost: number, symbols: string[] = []): OfferedProposal => ({
  id, action, cost, detail: symbols.length > 0 ? { symbols, interval: '1d' } : {}, rationale: `rules: ${action}`, justification: `why ${action}`, expected_information_gain: `gain ${action}`, source: 'rules',
});

/** A pending promise's state, without waiting for it. */
async function settled<T>(p: Promise<T>): Promise<{ done: boolean; value?: T }> {
  const marker = Symbol('pending');
  const v = await Promise.race([p, new Promise((r) => setImmediate(() => r(marker)))]);
  return v === marker ? { done: false } : { done: true, value: v as T };
}

const running = (s: ConsoleStore): void => {
  s.getState().actions.startIdea({ label: 'x', kind: 'text', text: 'buy when rsi(2) < 10' });
  s.getState().actions.receive({ event: 'session', session: 's1-1', seed: 1, budget: 100, store: '/tmp/x' });
};

describe('reduceEvent through the store', () => {
  it('turns a session\'s events into pane state and history', () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    const AAA = { symbol: 'AAA', interval: '1d' as const };
    const BBB = { symbol: 'BBB', interval: '1d' as const };
    const events: ResearchEvent[] = [
      { event: 'stage', stage: 'translator', status: 'running' },
      { event: 'translation', source: 'rules', summary: 'long when rsi2 < 10', warnings: ['w1'], spec_id: 'a'.repeat(64), logic_hash: 'b'.repeat(64), params_hash: 'c'.repeat(64), name: 'dip' },
      { event: 'stage', stage: 'translator', status: 'done', detail: 'rules' },
      { event: 'compiled', report: { complexity: { indicators: 1, longConditions: 2, shortConditions: 0, optimizableParams: 0 }, warmup: 2, unusedParams: [] } },
      { event: 'stage', stage: 'director', status: 'running' },
      { event: 'stage', stage: 'director', status: 'done', detail: 'rules' },
      { event: 'proposal', proposal: proposal('p1', 'initial_backtest', 10, ['AAA']) },
      { event: 'decision', proposal_id: 'p1', decision: 'approved', by: 'user', note: null },
      { event: 'spend', seq: 3, action: 'initial_backtest', cost: 10, balance: 90 },
      { event: 'stage', stage: 'engine', status: 'running', detail: 'AAA@1d BBB@1d' },
      { event: 'progress', keys: [AAA, BBB], done: 0 },
    ];
    for (const e of events) a.receive(e);
    let s = store.getState();
    expect(s.run).toBe('running');
    expect([s.balance, s.spent]).toEqual([90, 10]);
    expect(s.translator).toEqual({ source: 'rules', summary: 'long when rsi2 < 10', warnings: ['w1'], stream: '' });
    expect(s.specHashes).toEqual({ id: 'a'.repeat(64), logic: 'b'.repeat(64), params: 'c'.repeat(64), name: 'dip' });
    expect(s.stages.engine).toEqual({ status: 'running', detail: 'AAA@1d BBB@1d' });
    expect(s.engine.keys).toEqual([{ key: 'AAA@1d', state: 'running' }, { key: 'BBB@1d', state: 'pending' }]);
    expect(s.decision).toMatchObject({ decision: 'approved', by: 'user', cost: 10, auto: false });
    // The setup iteration closed when the first proposal came; the approved step is the current one.
    expect(s.history.map((h) => h.lines[0])).toEqual(['session s1-1 · seed 1 · 100 credits · spec dip aaaaaaaa (rules)']);
    expect(s.current?.title).toBe('▸ initial_backtest AAA 1d · 10 cr · approved by user · ledger #3 −10 → 90 left');

    const pass = { gate: 'viability' as const, verdict: 'PASS' as const, pass: true, sample: {}, config_version: 'gates@2', checks: [{ name: 'scope_trade_rate', value: 120, threshold: 100, op: '>=' as const, verdict: 'PASS' as const, pass: true }] };
    const fail = { gate: 'distribution' as const, verdict: 'FAIL' as const, pass: false, sample: {}, config_version: 'gates@2', checks: [{ name: 'top_trades_share', value: 0.8, threshold: 0.5, op: '<=' as const, verdict: 'FAIL' as const, pass: false }] };
    for (const e of [
      { event: 'run', key: AAA, segment: 'visible', metrics: metrics(12, 0.5), run_id: 'r1' },
      { event: 'progress', keys: [AAA, BBB], done: 1 },
      { event: 'run', key: BBB, segment: 'visible', metrics: metrics(8, -0.25), run_id: 'r2' },
      { event: 'stage', stage: 'gates', status: 'running' },
      { event: 'gate', verdict: pass },
      { event: 'gate', verdict: fail },
      { event: 'review', source: 'rules', diagnosis: 'too concentrated', intent_match: 'partly', unsupported_numbers: ['42'] },
      { event: 'status', status: 'DEAD', reason: 'distribution: top_trades_share 0.8 > 0.5' },
      { event: 'summary', status: 'DEAD', reason: 'distribution: top_trades_share 0.8 > 0.5', credits_spent: 10, trials: 1, runs: 2 },
    ] as ResearchEvent[]) a.receive(e);
    s = store.getState();
    expect(s.engine.keys.map((k) => [k.key, k.state, k.metrics?.trades])).toEqual([['AAA@1d', 'done', 12], ['BBB@1d', 'done', 8]]);
    expect(s.engine.runs).toBe(2);
    expect(s.gates.map((g) => [g.gate, g.pass])).toEqual([['viability', true], ['distribution', false]]);
    expect(s.reviewer).toMatchObject({ diagnosis: 'too concentrated', intentMatch: 'partly', unsupported: ['42'] });
    expect(s.final).toEqual({ status: 'DEAD', reason: 'distribution: top_trades_share 0.8 > 0.5', credits_spent: 10, trials: 1, runs: 2 });
    expect(s.current).toBeNull();
    expect(s.history.slice(1).map((h) => h.lines)).toEqual([
      [
        '▸ initial_backtest AAA 1d · 10 cr · approved by user · ledger #3 −10 → 90 left',
        '   runs: AAA@1d 12 tr, Sharpe 0.50, avg 1.00% · BBB@1d 8 tr, Sharpe -0.25, avg 1.00%',
        '   gates: ✓ viability  ✗ distribution: top_trades_share 0.8 > 0.5',
        '   reviewer: (rules, intent partly) too concentrated',
      ],
      ['■ DEAD: distribution: top_trades_share 0.8 > 0.5'],
    ]);
  });

  it('a review done stays ✓ through the next Director round, until the Reviewer runs again', () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    a.receive({ event: 'stage', stage: 'reviewer', status: 'running' });
    a.receive({ event: 'stage', stage: 'reviewer', status: 'done', detail: 'rules' });
    a.receive({ event: 'stage', stage: 'director', status: 'running' });
    expect(store.getState().stages.reviewer).toEqual({ status: 'done', detail: 'rules' });
    expect(store.getState().stages.director).toEqual({ status: 'running' });
    a.receive({ event: 'stage', stage: 'reviewer', status: 'running' });
    expect(store.getState().stages.reviewer).toEqual({ status: 'running' });
  });

  it('a new judging keeps only the complexity verdict of the last one; a vetoed offer is history at once', () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    const v = (gate: 'complexity' | 'viability', pass: boolean) => ({ event: 'gate' as const, verdict: { gate, verdict: pass ? 'PASS' as const : 'FAIL' as const, pass, checks: [], sample: {}, config_version: 'gates@2' } });
    a.receive(v('complexity', true));
    expect(store.getState().stages.gates.status).toBe('pending'); // judged by the compiler, not a gates run
    a.receive({ event: 'gate', verdict: { gate: 'holdout', verdict: 'FAIL', pass: false, checks: [], sample: {}, config_version: 'gates@2' } });
    expect(store.getState().stages.gates).toEqual({ status: 'failed', detail: 'holdout' }); // at promotion, outside a judging
    a.receive(v('viability', true));
    a.receive({ event: 'stage', stage: 'gates', status: 'running' });
    expect(store.getState().gates.map((g) => g.gate)).toEqual(['complexity']);
    a.receive({ event: 'proposal', proposal: proposal('p9', 'add_symbol', 15, ['X', 'Y', 'Z']) });
    a.receive({ event: 'decision', proposal_id: 'p9', decision: 'vetoed', by: 'user', note: 'not now' });
    expect(store.getState().history.at(-1)!.lines).toEqual(['× add_symbol X Y Z 1d · 15 cr · vetoed by user: not now']);
    expect(store.getState().director.offers.map((o) => [o.id, o.decision, o.note])).toEqual([['p9', 'vetoed', 'not now']]);
  });

  it('a new spec version is diffed against the one before it', () => {
    const { store } = makeStore();
    const a = store.getState().actions;
    const base = { schema: 'gauntlet/spec@1', name: 'n', idea: 'i', meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' }, params: { len: { value: 2, min: 2, max: 5, step: 1 } }, indicators: {}, rules: { long_entry: null, long_exit: null, short_entry: null, short_exit: null }, risk: { stop_loss_pct: null, take_profit_pct: null }, execution: { fees_bps: 0, slippage_bps: 0 } } as const;
    const hashes = (id: string) => ({ id, logic_hash: 'l'.repeat(64), params_hash: id });
    a.specLoaded(hashes('v1'), base as never);
    a.specLoaded(hashes('v1'), base as never);
    expect(store.getState().spec?.version).toBe(1);
    a.specLoaded(hashes('v2'), { ...base, parent: 'v1', params: { len: { value: 4, min: 2, max: 5, step: 1 } } } as never);
    const s = store.getState();
    expect(s.spec?.version).toBe(2);
    expect(s.specChanges).toEqual([{ path: 'params.len.value', from: '2', to: '4' }]);
    expect(s.specHashes).toMatchObject({ id: 'v2', params: 'v2' });
  });
});

describe('the ledger tail', () => {
  it('sets the balance the header shows: a promotion\'s reset counts though no spend event carries it', () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    a.receive({ event: 'spend', seq: 3, action: 'walk_forward', cost: 25, balance: 75 });
    const entry = (seq: number, kind: 'spend' | 'reset', balance: number) => ({ seq, ts: '2026-01-01T00:00:00.000Z', session: 's1-1', kind, action: kind, cost: 0, credit: 0, balance, payload: {}, prev: '0'.repeat(64), hash: '1'.repeat(64) });
    a.ledgerLoaded([entry(3, 'spend', 75), entry(9, 'reset', 100)]);
    expect([store.getState().balance, store.getState().spent]).toEqual([100, 25]);
    a.ledgerLoaded([]);
    expect(store.getState().balance).toBe(100);
  });
});

describe('the inbox actions', () => {
  it('approve and veto answer the waiting proposal, once', async () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    const p1 = a.offer(proposal('p1', 'initial_backtest', 10));
    expect(store.getState().inbox.pending?.id).toBe('p1');
    expect((await settled(p1)).done).toBe(false);
    a.approve();
    // The inbox's answers are a person's (also in a headless session resumed in the console).
    expect(await p1).toEqual({ decision: 'approve', by: 'user' });
    expect(store.getState().inbox.pending).toBeNull();
    const p2 = a.offer(proposal('p2', 'add_symbol', 20));
    a.veto();
    a.approve(); // nothing waits any more: ignored
    expect(await p2).toEqual({ decision: 'veto', by: 'user' });
  });

  it('veto with a note: the note box takes focus, the note is trimmed; an empty note is a plain veto', async () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    const p1 = a.offer(proposal('p1', 'optimize', 20));
    a.startNote();
    expect(store.getState().focus).toBe('note');
    a.editNote('  narrower ranges ');
    a.sendNote();
    expect(await p1).toEqual({ decision: 'veto', note: 'narrower ranges', by: 'user' });
    expect(store.getState().focus).toBe('console');
    const p2 = a.offer(proposal('p2', 'optimize', 20));
    a.startNote();
    a.sendNote();
    expect(await p2).toEqual({ decision: 'veto', by: 'user' });
    const p3 = a.offer(proposal('p3', 'optimize', 20));
    a.startNote();
    a.editNote('draft');
    a.cancelNote();
    expect(store.getState().focus).toBe('console');
    expect((await settled(p3)).done).toBe(false);
  });

  it('the standing auto-approval never takes a step that ends the session (kill, promote cost 0): it asks', async () => {
    const { store } = makeStore(15);
    running(store);
    const a = store.getState().actions;
    for (const action of ['kill', 'promote'] as const) {
      const p = a.offer(proposal(`t-${action}`, action, 0));
      expect((await settled(p)).done).toBe(false);
      expect(store.getState().inbox.pending?.id).toBe(`t-${action}`);
      a.veto();
      expect(await p).toEqual({ decision: 'veto', by: 'user' });
    }
  });

  it('pause holds every answer, including the standing auto-approval, until resume', async () => {
    const { store } = makeStore(15);
    running(store);
    const a = store.getState().actions;
    a.togglePause();
    expect(store.getState().run).toBe('paused');
    const cheap = a.offer(proposal('p1', 'initial_backtest', 10));
    expect((await settled(cheap)).done).toBe(false);
    a.togglePause();
    expect(await cheap).toEqual({ decision: 'approve' }); // the standing approval: not a person's answer
    expect(store.getState().inbox.autoNote).toBe('auto-approved initial_backtest · 10 cr (standing approval < 15)');
    const dear = a.offer(proposal('p2', 'add_symbol', 15));
    a.togglePause();
    a.approve();
    a.veto();
    expect((await settled(dear)).done).toBe(false);
    a.togglePause();
    a.approve();
    expect(await dear).toEqual({ decision: 'approve', by: 'user' });
  });

  it('kill asks first: n cancels; confirmed, it answers a waiting proposal; with none waiting it aborts and answers the next one; it overrides a pause', async () => {
    const one = makeStore();
    running(one.store);
    const p = one.store.getState().actions.offer(proposal('p1', 'initial_backtest', 10));
    one.store.getState().actions.kill();
    expect(one.store.getState().focus).toBe('confirm');
    one.store.getState().actions.cancelKill();
    expect(one.store.getState().focus).toBe('console');
    expect((await settled(p)).done).toBe(false);
    one.store.getState().actions.kill();
    one.store.getState().actions.confirmKill();
    expect(await p).toEqual({ decision: 'kill', by: 'user' });
    expect(one.store.getState().focus).toBe('console');
    expect(one.calls).not.toContain('abort');

    const two = makeStore();
    running(two.store);
    const a = two.store.getState().actions;
    a.togglePause();
    a.kill();
    expect(two.calls).toEqual(['start']);
    a.confirmKill();
    expect(two.calls).toEqual(['start', 'abort']);
    expect(two.store.getState().run).toBe('running');
    expect(await a.offer(proposal('p1', 'initial_backtest', 10))).toEqual({ decision: 'kill', by: 'user' });
  });

  it('quit suspends: the waiting proposal is answered "suspend" (never kill), nothing is aborted, then the store closes', async () => {
    const { store, calls } = makeStore();
    running(store);
    const a = store.getState().actions;
    const p = a.offer(proposal('p1', 'walk_forward', 25));
    await a.quit();
    expect(await p).toEqual({ decision: 'suspend' });
    expect(calls).toEqual(['start', 'close']);
    expect(store.getState().run).toBe('closing');
    // A proposal the loop offers after the quit is not answered either: the session suspends there.
    expect(await a.offer(proposal('p2', 'add_symbol', 5))).toEqual({ decision: 'suspend' });
  });
});

describe('the start screen actions', () => {
  it('moves within the lists, cycles sections, and starts only a real idea', () => {
    const { store, started } = makeStore();
    const a = store.getState().actions;
    a.move(5);
    expect(store.getState().start.cursor.examples).toBe(1);
    a.move(-9);
    expect(store.getState().start.cursor.examples).toBe(0);
    a.section(1);
    expect(store.getState().focus).toBe('idea');
    a.submitDraft();
    expect(store.getState().start.error).toMatch(/^type an idea first/);
    a.editDraft('  buy when   close > sma(20)  ');
    a.submitDraft();
    expect(started).toEqual([{ label: 'buy when close > sma(20)', kind: 'text', text: 'buy when   close > sma(20)' }]);
    expect(store.getState()).toMatchObject({ screen: 'console', focus: 'console', run: 'starting' });
  });

  it('a new idea is offered only once the session has ended', async () => {
    const { store } = makeStore();
    running(store);
    const a = store.getState().actions;
    a.newIdea();
    expect(store.getState().screen).toBe('console');
    a.sessionEnded(null);
    a.newIdea();
    expect(store.getState()).toMatchObject({ screen: 'start', focus: 'examples', run: 'idle' });
  });
});

describe('drive', () => {
  it('pulls nothing while paused, then everything, and ends the run', async () => {
    const { store } = makeStore();
    running(store);
    store.getState().actions.togglePause();
    let pulled = 0;
    async function* gen(): AsyncGenerator<ResearchEvent, void> {
      for (const text of ['one', 'two', 'three']) { pulled += 1; yield { event: 'note', text }; }
    }
    const done = drive(gen(), store);
    await new Promise((r) => setTimeout(r, 50));
    expect(pulled).toBe(0);
    store.getState().actions.togglePause();
    await done;
    expect(pulled).toBe(3);
    expect(store.getState().engine.notes).toEqual(['one', 'two', 'three']);
    expect(store.getState().run).toBe('finished');
  });

  it('a loop error ends the run as failed with the message, never a stack', async () => {
    const { store } = makeStore();
    running(store);
    async function* gen(): AsyncGenerator<ResearchEvent, void> {
      yield { event: 'stage', stage: 'translator', status: 'running' };
      throw new UserError('idea.txt:3: "rsi(" is missing a closing parenthesis');
    }
    await drive(gen(), store);
    const s = store.getState();
    expect(s.run).toBe('failed');
    expect(s.error).toBe('idea.txt:3: "rsi(" is missing a closing parenthesis');
    expect(s.stages.translator.status).toBe('failed');
  });

  it('the answer a decision promise gets is exactly what the user chose', async () => {
    const { store } = makeStore();
    running(store);
    const answers: ApprovalDecision[] = [];
    for (const act of ['approve', 'veto', 'kill'] as const) {
      const p = store.getState().actions.offer(proposal(`p-${act}`, 'add_symbol', 5));
      store.getState().actions[act]();
      if (act === 'kill') store.getState().actions.confirmKill();
      answers.push(await p);
    }
    expect(answers.map((x) => x.decision)).toEqual(['approve', 'veto', 'kill']);
  });
});
