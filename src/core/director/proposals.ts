import type { CostTable } from '../budget/cost-table.ts';
import { priceProposal } from '../budget/proposal.ts';
import { LADDER, type Interval } from '../intervals.ts';
import type { CandidateProposal, UniverseView } from '../research/ports.ts';
import { pendingOf, type Phase } from '../research/phase.ts';
import type { SeriesKey } from '../research/run.ts';
import type { Meta } from '../spec/schema.ts';
import { MIN_EDGE_TRADES } from '../stats/index.ts';
import type { SectorAggregate } from './aggregates.ts';
import type { ActionDetail, AddSymbolDetail } from './details.ts';
import { candidateIntervals, ladderNeighbours, ladderRung } from './intervals.ts';
import { balancedDraw, segmentPools } from './screen.ts';
import type { SegmentTable } from './segment-table.ts';
import { initialSelection, memoUniverse } from './symbols.ts';
import { formatNumber } from '../format/numbers.ts';

/** The milestones the research reached (research/phase.ts), as the rules read them to decide what is allowed next. */
export interface ResearchStage {
  /** The robustness gate (train/test, halves, subsamples) passed: optimisation is allowed from here (I4). */
  oosPassed: boolean;
  optimized: boolean;
  walkForwardDone: boolean;
  reoptimized: boolean;
  regimeChecked: boolean;
  /** Every screening gate passed on the tested set. */
  gatesPassed: boolean;
  /** The pooled edge gate passed (a constrain_universe is offered only when it did not). */
  edgePassed: boolean;
  /** The Reviewer has looked at the results (I5: it must have tried to reject first). */
  reviewed: boolean;
  holdoutSealed: boolean;
}

export interface DirectorState {
  meta: Meta;
  universe: UniverseView;
  table: CostTable;
  /** Credits left. */
  balance: number;
  /** Every symbol × interval backtested so far. */
  tested: readonly SeriesKey[];
  /** The interval the tested set runs at; null before the initial backtest. */
  interval: Interval | null;
  /** Where the research stands (research/phase.ts): each phase has its own offers. */
  phase: Phase;
  /** Params an optimiser may move (declared range wider than one value, used by the rules). */
  params: readonly string[];
  stage: ResearchStage;
  aggregates: readonly SectorAggregate[];
  /** The per-segment screen with Holm-adjusted tests (segment-table.ts). */
  segments: SegmentTable;
  /** The seed of every draw: the session seed and the spec's logic (screen.ts). */
  drawSeed: string;
  /** The params hash of the version under test: a promotion's id names it, so vetoing one version's promotion does not bar a tuned version's. */
  version: string;
  /** Set after a constrain_universe: symbols come from these segments only. */
  constrainedTo?: readonly string[] | null;
  /** Proposal ids the user vetoed: not offered again (kill excepted). */
  vetoed?: ReadonlySet<string>;
}

/** Actions that add evidence (more symbols in scope, another interval, the bars it needs): the answers to INSUFFICIENT. */
const EVIDENCE_ACTIONS: ReadonlySet<string> = new Set(['add_symbol', 'add_interval', 'download']);

/**
 * Symbols one breadth or evidence step adds: one per segment of the scope, at least 3 (a one-sector
 * scope still moves by more than one name), at most 11 (the GICS sectors) — 15 to 55 credits.
 */
export function stepSymbols(segments: number): number {
  return Math.min(11, Math.max(3, segments));
}

interface Draft {
  id: string;
  quantity: number;
  body: ActionDetail;
  rationale: string;
}

/** What each phase offers (kill is added to all of them). */
function offersIn(phase: Phase, s: DirectorState): Draft[] {
  const interval = s.interval!;
  switch (phase.kind) {
    case 'start':
      return [initial(s)];
    case 'diluted': {
      // The narrowing is the only answer to a pooled FAIL with segments holding; declined, the FAIL kills.
      const narrow = constrain(s);
      return narrow === null ? [] : [narrow];
    }
    case 'starter':
      return [addSymbols(interval, [...phase.pending], null, 'starter', 'complete the stratified starter screen: every segment of the scope is judged before any is deepened', testedSymbols(s).length, 0)];
    case 'insufficient': {
      // Not judged yet: the cheapest answer first. Narrowing to the segments that hold costs nothing and
      // removes the dilution that often keeps the pooled edge undecided; then symbols across the scope,
      // then another interval.
      const out: Draft[] = [];
      const narrow = constrain(s);
      if (narrow !== null) out.push(narrow);
      const more = breadthStep(s, interval, true);
      if (more !== null) out.push(more);
      out.push(...research(s, interval).filter((d) => EVIDENCE_ACTIONS.has(d.body.action) && d.body.action !== 'add_symbol'));
      return out;
    }
    case 'research':
      return research(s, interval);
  }
}

/**
 * Every proposal the rules allow now, in the rules' order, priced from the table only, those the
 * balance cannot pay dropped (docs/director.md), by phase (research/phase.ts): start, the initial backtest;
 * starter, the rest of the stratified screen; diluted, the narrowing only; insufficient, the cheapest
 * evidence (the narrowing, symbols across the scope's segments, another interval); research:
 *
 *   promote → constrain_universe → add_symbol (breadth, then depth, across the scope) →
 *   regime_expansion → add_interval → optimize → walk_forward → reoptimize → kill
 */
export function proposeNext(state: DirectorState): CandidateProposal[] {
  const s: DirectorState = { ...state, universe: memoUniverse(state.universe) };
  const drafts: Draft[] = offersIn(s.phase, s);
  drafts.push({ id: 'kill', quantity: 1, body: { action: 'kill', detail: {} }, rationale: 'stop here and record why; killing costs nothing' });

  const seen = new Set<string>();
  const out: CandidateProposal[] = [];
  for (const d of drafts) {
    if (seen.has(d.id) || (d.body.action !== 'kill' && s.vetoed?.has(d.id) === true)) continue;
    seen.add(d.id);
    const cost = priceProposal(d.body.action, s.table, d.quantity);
    if (cost > s.balance) continue;
    out.push({ id: d.id, action: d.body.action, detail: d.body.detail, cost, rationale: d.rationale });
  }
  return out;
}

function testedSymbols(s: DirectorState): string[] {
  return [...new Set(s.tested.map((k) => k.symbol))];
}

/**
 * The next symbols across the scope, breadth before depth (screen.ts); null when the scope is spent.
 * `evidence`: a gate is INSUFFICIENT and these symbols are bought to add the missing sample.
 */
function breadthStep(s: DirectorState, interval: Interval, evidence = false): Draft | null {
  const pools = segmentPools(s.meta, s.universe, interval, s.constrainedTo);
  const exclude = [...new Set([...testedSymbols(s), ...pendingOf(s.phase)])];
  const symbols = balancedDraw(s.meta, s.universe, interval, stepSymbols(pools.size), { exclude, seed: `${s.drawSeed}:${interval}:${exclude.length}`, pools });
  if (symbols.length === 0) return null;
  const tested = new Set(exclude);
  const counts = [...pools.values()].map((pool) => pool.filter((u) => tested.has(u.symbol)).length);
  const untested = counts.filter((c) => c === 0).length;
  const thin = Math.min(...counts);
  const purpose = evidence ? 'evidence' : untested > 0 || thin < Math.max(...counts) ? 'breadth' : 'deepen';
  const why = evidence ? `a gate could not judge yet (too little evidence); ${symbols.join(' ')} add it across the scope's segments, the thinnest first`
    : untested > 0
    ? `${untested} of the scope's ${pools.size} segments have no tested symbol yet: breadth before depth`
    : purpose === 'breadth' ? `the thinnest segments (${thin} tested symbols) come first: breadth before depth`
      : `every segment of the scope has ${thin} tested symbols; ${symbols.length} more, one per segment, deepen the screen evenly`;
  return addSymbols(interval, symbols, s.constrainedTo?.length === 1 ? s.constrainedTo[0]! : null, purpose, why, tested.size, 0);
}

function initial(s: DirectorState): Draft {
  const { symbols, interval } = initialSelection(s.meta, s.universe, s.drawSeed);
  const first = symbols[0];
  if (first === undefined) throw new RangeError(`no ${s.meta.market_type} symbol can be loaded at ${interval}`);
  return {
    id: `initial:${first}@${interval}`,
    quantity: 1,
    body: { action: 'initial_backtest', detail: { symbols: [first], interval } },
    rationale: `start with ${first} at ${interval}, first of a ${symbols.length}-symbol stratified starter screen (seeded draw, ${s.meta.volatility_preference} volatility)`,
  };
}

/**
 * The confirmation's fresh symbols: a replication as large as the screen it confirms — as many untested
 * scope symbols as were tested, and never fewer than the edge's minimum sample needs at the screen's
 * trade rate. A leg sized only for the minimum sample is too small to stand on its own: under the
 * screen's own effect its t is the screen's scaled by √(fresh ÷ tested), so a two-symbol leg beside a
 * twenty-symbol screen comes out negative by chance about one time in five even for an edge at t 5,
 * and the contract kills on any negative leg. The pooled test (t ≥ 1.645) is what bounds false
 * promotions, whatever the leg's size.
 */
function freshSymbols(s: DirectorState, interval: Interval): { fresh: string[]; why: string } {
  const tested = testedSymbols(s);
  const trades = s.aggregates.reduce((n, a) => n + a.trades, 0);
  const perSymbol = tested.length > 0 ? trades / tested.length : 0;
  const needed = Math.max(2, Math.ceil(MIN_EDGE_TRADES / Math.max(perSymbol, 1e-9)));
  const pools = segmentPools(s.meta, s.universe, interval, s.constrainedTo);
  const untested = [...pools.values()].flat().filter((u) => !tested.includes(u.symbol)).length;
  if (untested < needed) {
    return { fresh: [], why: `the scope has ${untested} untested symbol(s), fewer than the ${needed} the minimum sample needs at ${formatNumber(perSymbol, 'ratio')} trades a symbol: the fresh-symbol leg is skipped and the holdout leg alone decides` };
  }
  const wanted = Math.min(untested, Math.max(needed, tested.length));
  const fresh = balancedDraw(s.meta, s.universe, interval, wanted, { exclude: tested, seed: `${s.drawSeed}:${interval}:fresh`, pools });
  const size = wanted === needed ? `${MIN_EDGE_TRADES} trades are the minimum sample` : wanted < tested.length ? `all the scope's untested symbols; the screen tested ${tested.length}` : `as many as the screen tested; ${needed} would reach the ${MIN_EDGE_TRADES}-trade minimum`;
  return { fresh, why: `${fresh.length} fresh symbols (${formatNumber(perSymbol, 'ratio')} trades a symbol in the screen; ${size})` };
}

/**
 * Narrow the scope to the segments that hold Holm's test, when the pooled edge has not passed and not
 * every segment holds (and the scope is not narrowed yet): a free step, and a selection among the K
 * screened, which the loop charges to the multiple-testing N.
 */
function constrain(s: DirectorState): Draft | null {
  const holding = s.segments.rows.filter((r) => r.holds);
  const diluted = s.phase.kind === 'diluted';
  if ((s.stage.edgePassed && !diluted) || s.constrainedTo != null || holding.length === 0 || holding.length === s.segments.rows.length) return null;
  const keepSegments = holding.map((r) => r.segment);
  const sectorOf = new Map(s.universe.symbols().map((u) => [u.symbol, u.sector]));
  const tested = testedSymbols(s);
  const keep = tested.filter((x) => keepSegments.includes(sectorOf.get(x) ?? ''));
  const drop = tested.filter((x) => !keep.includes(x));
  const tests = s.segments.rows.map((r) => ({ segment: r.segment, t: r.t, p_holm: r.p_holm, holds: r.holds }));
  return {
    id: `constrain_universe:${keepSegments.join('+')}`, quantity: 1,
    body: { action: 'constrain_universe', detail: { segments: keepSegments, keep, drop, k: s.segments.k, tests } },
    rationale: `${diluted ? 'a gate failed on the pooled scope' : 'the pooled edge has not passed'}, but ${holding.map((r) => `${r.segment} (t ${formatNumber(r.t, 'tstat')}, Holm p ${formatNumber(r.p_holm, 'pvalue')})`).join(', ')} ${holding.length === 1 ? 'holds' : 'hold'} Holm's test over the ${s.segments.k} segments screened; narrow the scope to ${holding.length === 1 ? 'it' : 'them'} — a selection among ${s.segments.k}, so the multiple-testing N is multiplied by ${s.segments.k}`,
  };
}

function research(s: DirectorState, interval: Interval): Draft[] {
  const out: Draft[] = [];
  const current = currentSymbols(s, interval);
  const segments = [...segmentPools(s.meta, s.universe, interval, s.constrainedTo).keys()];

  if (s.stage.gatesPassed && s.stage.reviewed && s.stage.holdoutSealed) {
    const { fresh, why } = freshSymbols(s, interval);
    out.push({
      id: `promote:${s.version.slice(0, 8)}@${interval}`, quantity: fresh.length,
      body: { action: 'promote', detail: { interval, symbols: current, fresh, segments, stable_across: `fresh ${fresh.length} + holdout` } },
      rationale: `every screening gate passed: register the hypothesis, then confirm it once on data never seen — ${why}, and the sealed holdout after the common cut date`,
    });
  }

  const narrow = constrain(s);
  if (narrow !== null) out.push(narrow);

  const more = breadthStep(s, interval);
  if (more !== null) out.push(more);

  if (!s.stage.regimeChecked) {
    out.push(draft({ action: 'regime_expansion', detail: { interval, symbols: current, dimensions: ['volatility', 'trend'] } },
      'split the trades by volatility and trend regime: does the edge live in one regime only?'));
  }

  // Forward along the candidate order only: the order is the sequence of intervals to try, and
  // moving one way guarantees no 1d → 4h → 1d ping-pong (the loop forgets runs at old intervals).
  const order = candidateIntervals(s.meta, LADDER);
  const here = order.indexOf(interval);
  const steps = ladderNeighbours(interval)
    .filter((i) => order.indexOf(i) > here)
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const to of steps) {
    const lacking = lackingAt(s, current, to);
    if (lacking.length > 0) {
      // The rung is wanted but the tested set cannot be loaded there: its bars are downloaded first, when
      // the universe says where they come from (the step itself is offered once they are in).
      const offer = s.universe.downloadOffer?.(lacking, to);
      if (offer?.ok === true) {
        out.push({
          id: `download:${interval}->${to}`, quantity: 1,
          body: { action: 'download', detail: { from: interval, interval: to, fetch: offer.fetch, symbols: lacking, source: offer.source } },
          rationale: `the next rung ${interval} → ${to} needs ${to} bars of ${lacking.join(' ')}, which the universe lacks: download ${offer.fetch} bars from ${offer.source} (no credits; needs network)`,
        });
      }
      continue;
    }
    const direction = ladderRung(to) > ladderRung(interval) ? 'up' : 'down';
    out.push({
      id: `add_interval:${interval}->${to}`, quantity: 1,
      body: { action: 'add_interval', detail: { from: interval, interval: to, direction, symbols: current } },
      rationale: `a ${s.meta.style} idea with ${s.meta.holding_period} holding tries ${order.join(', ')} in that order; next rung ${interval} → ${to}`,
    });
  }

  const params = [...s.params];
  if (params.length > 0) {
    if (s.stage.oosPassed && !s.stage.optimized) {
      out.push(draft({ action: 'optimize', detail: { interval, symbols: current, params } }, `the out-of-sample check passed (I4); tune ${params.join(', ')} inside their declared ranges on the visible segment`));
    }
    if (s.stage.oosPassed && !s.stage.walkForwardDone) {
      out.push(draft({ action: 'walk_forward', detail: { interval, symbols: current, params, mode: 'rolling' } }, 'choose params in-sample, fold by fold, and see whether they keep working out of sample'));
    }
    if (s.stage.walkForwardDone && s.stage.optimized && !s.stage.reoptimized) {
      out.push(draft({ action: 'reoptimize', detail: { interval, symbols: current, params } }, 're-tune once with what the walk-forward showed, still on the visible segment only'));
    }
  }
  return out;
}

/** The symbols of `current` the universe cannot load at `to` (neither natively nor by resampling). */
function lackingAt(s: DirectorState, current: readonly string[], to: Interval): string[] {
  const at = new Map(s.universe.symbols().map((u) => [u.symbol, u.intervals]));
  return current.filter((sym) => at.get(sym)?.includes(to) !== true);
}

/**
 * Why a wanted rung's bars are not offered as a download (the bundled data is read-only, the symbols were
 * imported from files …): a fact for the Director, so a model can say it. Empty when nothing is missing.
 */
export function downloadFacts(s: DirectorState): string[] {
  if (s.interval === null || s.universe.downloadOffer === undefined) return [];
  const interval = s.interval;
  const order = candidateIntervals(s.meta, LADDER);
  const current = currentSymbols(s, interval);
  const out: string[] = [];
  for (const to of ladderNeighbours(interval).filter((i) => order.indexOf(i) > order.indexOf(interval))) {
    const lacking = lackingAt(s, current, to);
    if (lacking.length === 0) continue;
    const offer = s.universe.downloadOffer(lacking, to);
    if (!offer.ok) out.push(`${to} bars of ${lacking.join(' ')} are not in the universe and are not offered as a download: ${offer.why}`);
  }
  return out;
}

/** A one-step action on the tested set; its id names the interval so a veto covers this interval only. */
function draft(body: Extract<ActionDetail, { action: 'regime_expansion' | 'optimize' | 'walk_forward' | 'reoptimize' }>, rationale: string): Draft {
  return { id: `${body.action}@${body.detail.interval}`, quantity: 1, body, rationale };
}

function addSymbols(
  interval: Interval, symbols: string[], sector: string | null, purpose: AddSymbolDetail['purpose'], rationale: string, tested = 0, positive = 0,
): Draft {
  return {
    id: `add_symbol:${symbols.join('+')}@${interval}`,
    quantity: symbols.length,
    body: { action: 'add_symbol', detail: { symbols, interval, sector, purpose, tested, positive } },
    rationale,
  };
}

/** The tested set at the current interval, in test order (all tested symbols if none ran there yet). */
function currentSymbols(s: DirectorState, interval: Interval): string[] {
  const at = s.tested.filter((k) => k.interval === interval).map((k) => k.symbol);
  return [...new Set(at.length > 0 ? at : s.tested.map((k) => k.symbol))];
}
