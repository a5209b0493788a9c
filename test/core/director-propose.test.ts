import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_TABLE, type CostTable } from '../../src/core/budget/cost-table.ts';
import type { SectorAggregate } from '../../src/core/director/aggregates.ts';
import { DetailSchema } from '../../src/core/director/details.ts';
import { downloadFacts, proposeNext, type DirectorState, type ResearchStage } from '../../src/core/director/proposals.ts';
import { check, verdict } from '../../src/core/research/gate.ts';
import type { Phase } from '../../src/core/research/phase.ts';
import type { SegmentTable } from '../../src/core/research/events.ts';
import type { Interval } from '../../src/core/intervals.ts';
import type { CandidateProposal, UniverseView } from '../../src/core/research/ports.ts';
import { universe } from './director-fixtures.ts';

const STAGE: ResearchStage = {
  oosPassed: false, optimized: false, walkForwardDone: false, reoptimized: false,
  regimeChecked: false, gatesPassed: false, edgePassed: false, reviewed: false, holdoutSealed: true,
};

const agg = (sector: string, symbols: string[], positive: number, avg: number | null): SectorAggregate => ({
  sector, symbols, trades: 10 * symbols.length, avg_trade_return: avg, positive_symbols: positive, stability: positive / symbols.length, pnl: (avg ?? 0) * 10 * symbols.length, pooled_sharpe: null,
});

const STARTER = ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL'];
const AGGS = [agg('Tech', ['AMD', 'NVDA', 'MU', 'AAPL'], 3, 0.004), agg('Energy', ['SLB'], 1, 0.003)];
const NO_SEGMENTS: SegmentTable = { rows: [], k: 0, alpha: 0.05 };
const row = (segment: string, symbols: number, t: number, pHolm: number, holds: boolean): SegmentTable['rows'][number] =>
  ({ segment, symbols, trades: 40, clusters: 20, mean_excess: 0.001, t, p: pHolm / 2, p_holm: pHolm, holds });

function state(over: Omit<Partial<DirectorState>, 'stage'> & { stage?: Partial<ResearchStage> } = {}): DirectorState {
  const interval: Interval = over.interval ?? '1d';
  return {
    meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' },
    universe: universe(),
    table: DEFAULT_COST_TABLE,
    balance: 1000,
    tested: STARTER.map((symbol) => ({ symbol, interval })),
    interval,
    phase: { kind: 'research' },
    params: ['len', 'lo'],
    aggregates: AGGS,
    segments: NO_SEGMENTS,
    drawSeed: '1:logic',
    version: 'abcdef0123456789',
    ...over,
    stage: { ...STAGE, ...over.stage },
  };
}

const START: Phase = { kind: 'start', rest: [] };
const brief = (ps: CandidateProposal[]) => ps.map((p) => `${p.id} ${p.cost}`);
const symbolsOf = (p: CandidateProposal): string[] => (p.detail as { symbols: string[] }).symbols;

/*
 * The fixture universe at 1d (director-fixtures.ts), realised volatility in brackets:
 *   Energy: CVX (0.27), XOM (0.28), SLB (0.40)    → upper half (high preference): XOM, SLB
 *   Health: JNJ (0.15), MRK (0.18), PFE (0.20)    → upper half: MRK, PFE
 *   Tech:   XYZ (NaN, lowest), MSFT (0.25), AAPL (0.30), MU (0.45), NVDA (0.50), AMD (0.60) → upper half: MU, NVDA, AMD
 * The draws are seeded shuffles, so the tests assert the sets these rules allow, not one order.
 */
describe('proposeNext', () => {
  it('before anything ran: the initial backtest of the first symbol of the stratified screen (Energy, the first segment by name)', () => {
    const ps = proposeNext(state({ tested: [], interval: null, aggregates: [], phase: START }));
    expect(ps.map((p) => p.action)).toEqual(['initial_backtest', 'kill']);
    expect(ps[0]!.cost).toBe(10);
    expect(['XOM', 'SLB']).toContain(symbolsOf(ps[0]!)[0]);
    expect(ps[0]!.rationale).toMatch(/^start with (XOM|SLB) at 1d, first of a 6-symbol stratified starter screen \(seeded draw, high volatility\)$/);
  });

  it('while starter symbols are pending: only those (priced per symbol), or kill', () => {
    const ps = proposeNext(state({ tested: [{ symbol: 'XOM', interval: '1d' }], phase: { kind: 'starter', pending: ['MRK', 'MU', 'SLB', 'PFE', 'NVDA'] }, aggregates: [agg('Energy', ['XOM'], 1, 0.01)] }));
    expect(brief(ps)).toEqual(['add_symbol:MRK+MU+SLB+PFE+NVDA@1d 25', 'kill 0']);
    expect(ps[0]!.detail).toEqual({ symbols: ['MRK', 'MU', 'SLB', 'PFE', 'NVDA'], interval: '1d', sector: null, purpose: 'starter', tested: 1, positive: 0 });
  });

  it('after the starter: breadth before depth — the untested segment (Health) first, then the thinner one (Energy)', () => {
    const ps = proposeNext(state());
    // Held: Tech 4, Energy 1, Health 0 → Health; then Energy and Health tie at 1 → Energy (first by name); then Health.
    // Health's preferred half is MRK, PFE; Energy's untested pool is CVX, XOM, whose upper half is XOM.
    expect(ps[0]!.action).toBe('add_symbol');
    expect(ps[0]!.cost).toBe(15);
    expect(new Set(symbolsOf(ps[0]!))).toEqual(new Set(['MRK', 'PFE', 'XOM']));
    expect(ps[0]!.detail).toMatchObject({ sector: null, purpose: 'breadth', tested: 5 });
    expect(ps[0]!.rationale).toBe("1 of the scope's 3 segments have no tested symbol yet: breadth before depth");
    expect(ps.slice(1).map((p) => p.action)).toEqual(['regime_expansion', 'kill']);
  });

  it('a different seed draws a different screen; the same seed the same one', () => {
    const draws = new Set<string>();
    for (let k = 0; k < 12; k++) draws.add(proposeNext(state({ tested: [], interval: null, aggregates: [], drawSeed: `${k}:logic`, phase: START }))[0]!.id);
    expect(draws).toEqual(new Set(['initial:XOM@1d', 'initial:SLB@1d']));
    expect(proposeNext(state({ drawSeed: '5:x' }))).toEqual(proposeNext(state({ drawSeed: '5:x' })));
  });

  it('while a gate is INSUFFICIENT: the evidence step across segments, and no tuning or regime split', () => {
    const ps = proposeNext(state({ phase: { kind: 'insufficient', reason: 'insufficient evidence: edge: …' }, stage: { oosPassed: true } }));
    expect(ps.map((p) => p.action)).toEqual(['add_symbol', 'kill']);
    expect(ps[0]!.detail).toMatchObject({ purpose: 'evidence' });
    expect(new Set(symbolsOf(ps[0]!))).toEqual(new Set(['MRK', 'PFE', 'XOM']));
  });

  it('constrains the scope (free) to the segments that hold Holm\'s test, when the pooled edge has not passed', () => {
    const segments: SegmentTable = { rows: [row('Energy', 1, 0.4, 1, false), row('Tech', 4, 3.9, 0.0004, true)], k: 2, alpha: 0.05 };
    const ps = proposeNext(state({ segments }));
    expect(brief(ps)[0]).toBe('constrain_universe:Tech 0');
    expect(ps[0]!.detail).toEqual({
      segments: ['Tech'], keep: ['AMD', 'NVDA', 'MU', 'AAPL'], drop: ['SLB'], k: 2,
      tests: [{ segment: 'Energy', t: 0.4, p_holm: 1, holds: false }, { segment: 'Tech', t: 3.9, p_holm: 0.0004, holds: true }],
    });
    // Not once the pooled edge passed, not when every segment holds, not twice.
    expect(proposeNext(state({ segments, stage: { edgePassed: true } })).map((p) => p.action)).not.toContain('constrain_universe');
    const all: SegmentTable = { ...segments, rows: segments.rows.map((r) => ({ ...r, holds: true })) };
    expect(proposeNext(state({ segments: all })).map((p) => p.action)).not.toContain('constrain_universe');
    const narrowed = proposeNext(state({ segments, constrainedTo: ['Tech'], tested: ['AMD', 'NVDA', 'MU', 'AAPL'].map((symbol) => ({ symbol, interval: '1d' as const })) }));
    expect(narrowed.map((p) => p.action)).not.toContain('constrain_universe');
    // In the narrowed scope only Tech names are drawn: MSFT and XYZ are left (XYZ's volatility is unknown: lowest).
    expect(new Set(symbolsOf(narrowed[0]!))).toEqual(new Set(['MSFT', 'XYZ']));
    expect(narrowed[0]!.detail).toMatchObject({ sector: 'Tech', purpose: 'deepen' });
  });

  it('optimize and walk-forward only after an out-of-sample pass; reoptimize only after a walk-forward', () => {
    const oos = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true } }));
    expect(oos.map((p) => p.action)).toEqual(['add_symbol', 'optimize', 'walk_forward', 'kill']);
    expect(oos[1]!.detail).toEqual({ interval: '1d', symbols: STARTER, params: ['len', 'lo'] });
    const after = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true, optimized: true, walkForwardDone: true } }));
    expect(after.map((p) => p.id)).toContain('reoptimize@1d');
    expect(after.map((p) => p.action)).not.toContain('optimize');
    expect(after.map((p) => p.action)).not.toContain('walk_forward');
    const done = proposeNext(state({ stage: { oosPassed: true, regimeChecked: true, optimized: true, walkForwardDone: true, reoptimized: true } }));
    expect(done.map((p) => p.action)).not.toContain('reoptimize');
    expect(proposeNext(state({ params: [], stage: { oosPassed: true } })).map((p) => p.action)).not.toContain('optimize');
  });

  it('steps the interval forward along the candidate order, one rung', () => {
    const ps = proposeNext(state({ interval: '1h', tested: [{ symbol: 'AAPL', interval: '1h' }, { symbol: 'MSFT', interval: '1h' }], aggregates: [agg('Tech', ['AAPL', 'MSFT'], 2, 0.01)], stage: { regimeChecked: true } }));
    const step = ps.find((p) => p.action === 'add_interval')!;
    expect(step.id).toBe('add_interval:1h->4h');
    expect(step.detail).toEqual({ from: '1h', interval: '4h', direction: 'up', symbols: ['AAPL', 'MSFT'] });
    expect(step.cost).toBe(8);
  });

  describe('download: the next rung the tested set lacks', () => {
    // Tested at 1d: a trend idea with medium holding tries 1d, 4h, 1h; MU and NVDA have 1d bars only.
    const trend = { style: 'trend_following', holding_period: 'medium', volatility_preference: 'any', market_type: 'equities' } as const;
    const tested = [{ symbol: 'MU', interval: '1d' as const }, { symbol: 'NVDA', interval: '1d' as const }];
    const asked: Array<[string[], Interval]> = [];
    const withOffer = (offer: (symbols: readonly string[], interval: Interval) => ReturnType<NonNullable<UniverseView['downloadOffer']>>): UniverseView => {
      const base = universe();
      return { ...base, downloadOffer: (symbols, interval) => { asked.push([[...symbols], interval]); return offer(symbols, interval); } };
    };
    const at = (u: UniverseView) => state({ meta: trend, universe: u, tested, aggregates: [agg('Tech', ['MU', 'NVDA'], 1, 0.001)], stage: { regimeChecked: true } });

    it('offered for 0 credits, in the rung\'s place, from the source the universe names, with what it fetches', () => {
      asked.length = 0;
      const ps = proposeNext(at(withOffer(() => ({ ok: true, source: 'yahoo', fetch: '1h' }))));
      const dl = ps.find((p) => p.action === 'download')!;
      expect(asked).toEqual([[['MU', 'NVDA'], '4h']]);
      expect(dl).toEqual({
        id: 'download:1d->4h', action: 'download', cost: 0,
        detail: { from: '1d', interval: '4h', fetch: '1h', symbols: ['MU', 'NVDA'], source: 'yahoo' },
        rationale: 'the next rung 1d → 4h needs 4h bars of MU NVDA, which the universe lacks: download 1h bars from yahoo (no credits; needs network)',
      });
      expect(DetailSchema.safeParse({ action: dl.action, detail: dl.detail }).success).toBe(true);
      expect(ps.map((p) => p.action)).not.toContain('add_interval');
      // It is an answer to INSUFFICIENT: offered in that phase too.
      expect(proposeNext({ ...at(withOffer(() => ({ ok: true, source: 'yahoo', fetch: '1h' }))), phase: { kind: 'insufficient', reason: 'x' } }).map((p) => p.id)).toContain('download:1d->4h');
    });

    it('not offered when the universe cannot download (the bundled data) or says why not; a vetoed one is not offered again', () => {
      expect(proposeNext(at(universe())).map((p) => p.action)).not.toContain('download');
      expect(proposeNext(at(withOffer(() => ({ ok: false, why: 'imported' })))).map((p) => p.action)).not.toContain('download');
      expect(proposeNext({ ...at(withOffer(() => ({ ok: true, source: 'yahoo', fetch: '1h' }))), vetoed: new Set(['download:1d->4h']) }).map((p) => p.action)).not.toContain('download');
      // AAPL has 4h bars: the rung is a plain add_interval, no download asked for.
      asked.length = 0;
      const have = state({ meta: trend, universe: withOffer(() => ({ ok: true, source: 'yahoo', fetch: '1h' })), tested: [{ symbol: 'AAPL', interval: '1d' }], aggregates: [agg('Tech', ['AAPL'], 1, 0.001)], stage: { regimeChecked: true } });
      expect(proposeNext(have).map((p) => p.id)).toContain('add_interval:1d->4h');
      expect(asked).toEqual([]);
    });

    it('the refusal is a fact for the Director', () => {
      expect(downloadFacts(at(withOffer(() => ({ ok: false, why: 'MU\'s bars were not downloaded but imported from files' }))))).toEqual([
        '4h bars of MU NVDA are not in the universe and are not offered as a download: MU\'s bars were not downloaded but imported from files',
      ]);
      expect(downloadFacts(at(universe()))).toEqual([]);
    });
  });

  it('promotes first when every screening gate passed and the review ran: a fresh leg as large as the screen, priced per symbol', () => {
    const ready = { gatesPassed: true, edgePassed: true, reviewed: true, regimeChecked: true };
    const ps = proposeNext(state({ stage: ready }));
    // 50 trades over 5 tested symbols = 10 a symbol; 30 trades would need ⌈30 / 10⌉ = 3, the screen tested 5, 7 are untested: 5.
    expect(ps[0]!.id).toBe('promote:abcdef01@1d');
    expect(ps[0]!.cost).toBe(25);
    expect(ps[0]!.rationale).toContain('5 fresh symbols (10.0 trades a symbol in the screen; as many as the screen tested; 3 would reach the 30-trade minimum)');
    const d = ps[0]!.detail as { fresh: string[]; segments: string[]; symbols: string[] };
    expect(d.fresh).toHaveLength(5);
    expect(new Set(d.fresh).size).toBe(5);
    for (const f of d.fresh) expect(['MSFT', 'XYZ', 'XOM', 'CVX', 'JNJ', 'PFE', 'MRK']).toContain(f);
    expect(d.segments).toEqual(['Energy', 'Health', 'Tech']);
    expect(d.symbols).toEqual(STARTER);
    const table: CostTable = { ...DEFAULT_COST_TABLE, promote: 2, add_symbol: 7 };
    expect(proposeNext(state({ table, stage: ready }))[0]!.cost).toBe(2 + 5 * 7);
    expect(proposeNext(state({ stage: { ...ready, holdoutSealed: false } })).map((p) => p.action)).not.toContain('promote');
    expect(proposeNext(state({ stage: { ...ready, reviewed: false } })).map((p) => p.action)).not.toContain('promote');
  });

  it('sizes the fresh leg by the minimum sample when that needs more than the screen tested, and takes every untested symbol when fewer are left', () => {
    const ready = { gatesPassed: true, edgePassed: true, reviewed: true, regimeChecked: true };
    // 25 trades over the 5 tested symbols = 5 a symbol: ⌈30 / 5⌉ = 6 > 5 tested, and 7 are untested → 6, for the minimum sample.
    const six = proposeNext(state({ aggregates: AGGS.map((a) => ({ ...a, trades: 5 * a.symbols.length })), stage: ready }))[0]!;
    expect((six.detail as { fresh: string[] }).fresh).toHaveLength(6);
    expect(six.rationale).toContain('6 fresh symbols (5.00 trades a symbol in the screen; 30 trades are the minimum sample)');
    // 8 tested symbols with 20 trades each: the minimum needs 2, the screen's size asks 8, only 4 are untested → all 4.
    const eight = ['AMD', 'NVDA', 'MU', 'AAPL', 'MSFT', 'SLB', 'XOM', 'CVX'];
    const aggs = [agg('Tech', eight.slice(0, 5), 5, 0.004), agg('Energy', eight.slice(5), 3, 0.003)].map((a) => ({ ...a, trades: 20 * a.symbols.length }));
    const all = proposeNext(state({ tested: eight.map((symbol) => ({ symbol, interval: '1d' as const })), aggregates: aggs, stage: ready }))[0]!;
    expect(new Set((all.detail as { fresh: string[] }).fresh)).toEqual(new Set(['JNJ', 'MRK', 'PFE', 'XYZ']));
    expect(all.rationale).toContain("4 fresh symbols (20.0 trades a symbol in the screen; all the scope's untested symbols; the screen tested 8)");
  });

  it('skips the fresh leg, and says so, when the scope has too few untested symbols', () => {
    const thin = [agg('Tech', ['AMD', 'NVDA', 'MU', 'AAPL'], 3, 0.004), agg('Energy', ['SLB'], 1, 0.003)].map((a) => ({ ...a, trades: a.symbols.length }));
    const ps = proposeNext(state({ aggregates: thin, stage: { gatesPassed: true, edgePassed: true, reviewed: true } }));
    expect(ps[0]!.cost).toBe(0);
    expect((ps[0]!.detail as { fresh: string[] }).fresh).toEqual([]);
    expect(ps[0]!.rationale).toContain('the scope has 7 untested symbol(s), fewer than the 30 the minimum sample needs at 1.00 trades a symbol: the fresh-symbol leg is skipped and the holdout leg alone decides');
  });

  it('drops what the balance cannot pay and what the user vetoed; kill stays', () => {
    expect(brief(proposeNext(state({ balance: 12 })))).toEqual(['kill 0']);
    expect(brief(proposeNext(state({ balance: 0 })))).toEqual(['kill 0']);
    const first = proposeNext(state())[0]!.id;
    expect(proposeNext(state({ vetoed: new Set([first, 'regime_expansion@1d', 'kill']) })).map((p) => p.id)).toEqual(['kill']);
  });

  it('prices every proposal from the table: add_symbol per symbol, the rest per step', () => {
    const table: CostTable = { ...DEFAULT_COST_TABLE, add_symbol: 7, regime_expansion: 3, optimize: 11, walk_forward: 13 };
    const ps = proposeNext(state({ table, stage: { oosPassed: true } }));
    expect(ps.map((p) => `${p.action} ${p.cost}`)).toEqual(['add_symbol 21', 'regime_expansion 3', 'optimize 11', 'walk_forward 13', 'kill 0']);
  });

  it('writes details the schema accepts, and is deterministic', () => {
    const all = [
      ...proposeNext(state({ stage: { oosPassed: true, optimized: true, walkForwardDone: true } })),
      ...proposeNext(state({ stage: { gatesPassed: true, reviewed: true } })),
      ...proposeNext(state({ segments: { rows: [row('Energy', 1, 0.4, 1, false), row('Tech', 4, 3.9, 0.0004, true)], k: 2, alpha: 0.05 } })),
      ...proposeNext(state({ phase: { kind: 'insufficient', reason: 'x' } })),
      ...proposeNext(state({ interval: '1h', tested: [{ symbol: 'AAPL', interval: '1h' }] })),
      ...proposeNext(state({ tested: [], interval: null, phase: START })),
    ];
    for (const p of all) expect(DetailSchema.safeParse({ action: p.action, detail: p.detail }).success, p.id).toBe(true);
    expect(proposeNext(state())).toEqual(proposeNext(state()));
  });

  it('each phase has its own offers', () => {
    const offers = (phase: Phase, over: Parameters<typeof state>[0] = {}) => proposeNext(state({ ...over, phase })).map((p) => p.action);
    expect(offers(START, { tested: [], interval: null, aggregates: [] })).toEqual(['initial_backtest', 'kill']);
    expect(offers({ kind: 'starter', pending: ['MU'] })).toEqual(['add_symbol', 'kill']);
    // Insufficient: the evidence steps only (symbols across the scope; 1d has no next interval for a short holding), never a regime split or tuning.
    expect(offers({ kind: 'insufficient', reason: 'x' }, { stage: { oosPassed: true } })).toEqual(['add_symbol', 'kill']);
    expect(offers({ kind: 'research' })).toEqual(['add_symbol', 'regime_expansion', 'kill']);
    // Diluted: a pooled FAIL with a segment holding — only the narrowing (and kill), even with the edge passed.
    const segments: SegmentTable = { rows: [row('Energy', 1, 0.4, 1, false), row('Tech', 4, 3.9, 0.0004, true)], k: 2, alpha: 0.05 };
    const failure = verdict('distribution', [check('top_trades_share', 0.7, '<=', 0.5)]);
    const diluted: Phase = { kind: 'diluted', failure, holding: ['Tech'] };
    const narrowing = proposeNext(state({ phase: diluted, segments, stage: { edgePassed: true } }));
    expect(narrowing.map((p) => p.action)).toEqual(['constrain_universe', 'kill']);
    expect(narrowing[0]!.rationale).toMatch(/^a gate failed on the pooled scope, but Tech \(t 3\.90, Holm p 0\.0004\) holds Holm's test over the 2 segments screened/);
    expect(offers(diluted)).toEqual(['kill']);
  });
});
