import type { CostTable } from '../budget/cost-table.ts';
import { priceProposal } from '../budget/proposal.ts';
import { LADDER, type Interval } from '../intervals.ts';
import type { CandidateProposal, UniverseView } from '../research/ports.ts';
import type { SeriesKey } from '../research/run.ts';
import type { Meta } from '../spec/schema.ts';
import { expansionAdvice, heldNewSector, MIN_SECTOR_SYMBOLS, type SectorAggregate } from './aggregates.ts';
import type { ActionDetail, AddSymbolDetail } from './details.ts';
import { candidateIntervals, ladderNeighbours, ladderRung } from './intervals.ts';
import { candidateSymbols, initialSelection, memoUniverse } from './symbols.ts';

/** How far the research has come: flags the loop keeps, read here to decide what is allowed next. */
export interface ResearchStage {
  initialDone: boolean;
  /** The robustness gate (train/test, halves, subsamples) passed: optimisation is allowed from here (I4). */
  oosPassed: boolean;
  optimized: boolean;
  walkForwardDone: boolean;
  reoptimized: boolean;
  regimeChecked: boolean;
  /** Every required gate except the holdout passed on the current tested set. */
  gatesPassed: boolean;
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
  /** Starter symbols (from initialSelection) not tested yet. */
  pending: readonly string[];
  /** Params an optimiser may move (declared range wider than one value, used by the rules). */
  params: readonly string[];
  stage: ResearchStage;
  aggregates: readonly SectorAggregate[];
  /** The sectors the research started in: a "new dimension" for promotion is a sector outside them. */
  initialSectors: readonly string[];
  /** Set after a constrain_universe: symbols come from this sector only and no new sector is offered. */
  constrainedTo?: string | null;
  /** A dimension other than a sector the edge already held across (a second interval, a walk-forward). */
  heldDimension?: string | null;
  /** Proposal ids the user vetoed: not offered again (kill excepted). */
  vetoed?: ReadonlySet<string>;
  /** Set while a gate is INSUFFICIENT: only steps that add evidence are offered (docs/gates.md). */
  insufficiency?: string | null;
}

/** Actions that add evidence (more symbols in scope, another interval): the answers to INSUFFICIENT. */
const EVIDENCE_ACTIONS: ReadonlySet<string> = new Set(['add_symbol', 'add_interval']);

/** Symbols one expansion step adds: enough to move a sector's stability, cheap enough (15 credits) to repeat. */
export const EXPANSION_SYMBOLS = 3;

interface Draft {
  id: string;
  quantity: number;
  body: ActionDetail;
  rationale: string;
}

/**
 * Every proposal the rules allow now, in the rules' order, priced from the table only, those the
 * balance cannot pay dropped. The order, once the starter set is complete:
 *
 *   promote → constrain_universe → add_symbol (deepen the sector that holds, else breadth) →
 *   add_symbol (a new sector) → regime_expansion → add_interval (the next rungs forward in the candidate
 *   order) → optimize → walk_forward → reoptimize → kill
 *
 * Evidence that widens (more names, sectors, regimes, intervals) comes before tuning, because
 * tuning is where strategies die quietly. Promotion leads when it is allowed: the point of the loop.
 * Before the initial backtest: initial_backtest, kill. With starter symbols pending: add_symbol
 * (the starter rest), kill — viability is judged pooled, so nothing else is judged on one symbol.
 */
export function proposeNext(state: DirectorState): CandidateProposal[] {
  const s: DirectorState = { ...state, universe: memoUniverse(state.universe) };
  const drafts: Draft[] = [];
  if (!s.stage.initialDone || s.interval === null) drafts.push(initial(s));
  else if (s.pending.length > 0) {
    const tested = new Set(s.tested.map((k) => k.symbol)).size;
    const positive = s.aggregates.reduce((n, a) => n + a.positive_symbols, 0);
    drafts.push(addSymbols(s.interval, [...s.pending], null, 'starter', 'complete the starter set: viability is judged pooled over several symbols, not one', tested, positive));
  } else if (s.insufficiency != null) {
    // Not judged yet: buy the missing sample, cheapest first (symbols in scope before another interval).
    const evidence = research(s, s.interval).filter((d) => EVIDENCE_ACTIONS.has(d.body.action));
    // The research order may offer symbols of one sector only (deepening what holds); when that
    // sector is spent, any untested symbol of the scope still adds evidence.
    if (!evidence.some((d) => d.body.action === 'add_symbol')) {
      const more = candidateSymbols(s.meta, s.universe, s.interval, {
        exclude: [...new Set([...s.tested.map((k) => k.symbol), ...s.pending])], count: EXPANSION_SYMBOLS,
        ...(s.constrainedTo == null ? {} : { sector: s.constrainedTo }),
      });
      if (more.length > 0) {
        evidence.unshift(addSymbols(s.interval, more, s.constrainedTo ?? null, 'breadth',
          `a gate could not judge yet (too little evidence); ${more.join(' ')} add it from the rest of the scope`, s.tested.length, 0));
      }
    }
    drafts.push(...evidence);
  } else drafts.push(...research(s, s.interval));
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

function initial(s: DirectorState): Draft {
  const { symbols, interval } = initialSelection(s.meta, s.universe);
  const first = symbols[0];
  if (first === undefined) throw new RangeError(`no ${s.meta.market_type} symbol can be loaded at ${interval}`);
  return {
    id: `initial:${first}@${interval}`,
    quantity: 1,
    body: { action: 'initial_backtest', detail: { symbols: [first], interval } },
    rationale: `start with ${first} at ${interval}, first of a ${symbols.length}-symbol starter set by the ${s.meta.volatility_preference}-volatility rule`,
  };
}

function research(s: DirectorState, interval: Interval): Draft[] {
  const out: Draft[] = [];
  const current = currentSymbols(s, interval);
  const sectorOf = new Map(s.universe.symbols().map((u) => [u.symbol, u.sector]));
  const testedSectors = [...new Set(s.tested.map((k) => sectorOf.get(k.symbol) ?? '?'))];
  const advice = expansionAdvice(s.aggregates.filter((a) => s.constrainedTo == null || a.sector === s.constrainedTo));
  const exclude = [...new Set([...s.tested.map((k) => k.symbol), ...s.pending])];
  const pick = (sector?: string, more: string[] = []): string[] =>
    candidateSymbols(s.meta, s.universe, interval, { exclude: [...exclude, ...more], count: EXPANSION_SYMBOLS, ...(sector === undefined ? {} : { sector }) });

  const newSector = heldNewSector(s.aggregates, s.initialSectors);
  const dimension = newSector !== null ? `sector:${newSector}` : s.heldDimension ?? null;
  if (s.stage.gatesPassed && s.stage.reviewed && s.stage.holdoutSealed && dimension !== null) {
    out.push(draft({ action: 'promote', detail: { interval, symbols: current, stable_across: dimension } },
      `every gate passed, the holdout is still sealed and the edge held across a new dimension (${dimension}): open the holdout once`));
  }

  if (advice.constrain !== null && s.constrainedTo == null) {
    const c = advice.constrain;
    out.push({
      id: `constrain_universe:${c.sector}`, quantity: 1, body: { action: 'constrain_universe', detail: c },
      rationale: `only ${c.sector} has a positive average trade (${advice.expand!.positive} of ${advice.expand!.symbols} symbols positive); drop the ${c.drop.length} symbols of other sectors`,
    });
  }

  const rule = s.meta.volatility_preference === 'any' ? 'sector-balance' : `${s.meta.volatility_preference}-volatility`;
  if (advice.expand !== null) {
    const e = advice.expand;
    const symbols = pick(e.sector);
    if (symbols.length > 0) {
      out.push(addSymbols(interval, symbols, e.sector, 'deepen',
        `${e.sector} held a positive average trade on ${e.positive} of ${e.symbols} symbols; test ${symbols.length} more ${e.sector} names`, e.symbols, e.positive));
    }
  } else {
    const symbols = pick(s.constrainedTo ?? undefined);
    const positive = s.aggregates.reduce((n, a) => n + a.positive_symbols, 0);
    if (symbols.length > 0) {
      out.push(addSymbols(interval, symbols, s.constrainedTo ?? null, 'breadth',
        `no sector holds yet (≥ ${MIN_SECTOR_SYMBOLS} symbols, most with a positive average trade); add the next ${symbols.length} by the ${rule} rule`, exclude.length, positive));
    }
  }

  if (s.constrainedTo == null) {
    const inTested = s.universe.symbols().filter((u) => testedSectors.includes(u.sector)).map((u) => u.symbol);
    const sector = sectorOf.get(pick(undefined, inTested)[0] ?? '');
    const symbols = sector === undefined ? [] : pick(sector);
    if (sector !== undefined && symbols.length > 0) {
      out.push(addSymbols(interval, symbols, sector, 'new_sector',
        `the edge was tested in ${testedSectors.join(', ')} only; ${sector} is the next sector by the ${rule} rule`, 0, 0));
    }
  }

  if (!s.stage.regimeChecked) {
    out.push(draft({ action: 'regime_expansion', detail: { interval, symbols: current, dimensions: ['volatility', 'trend'] } },
      'split the trades by volatility and trend regime: does the edge live in one regime only?'));
  }

  // Forward along the candidate order only: the order is the sequence of intervals to try, and
  // moving one way guarantees no 1d → 4h → 1d ping-pong (the loop forgets runs at old intervals).
  const order = candidateIntervals(s.meta, LADDER);
  const here = order.indexOf(interval);
  const loadable = (i: Interval): boolean => current.every((sym) => s.universe.symbols().find((u) => u.symbol === sym)?.intervals.includes(i) === true);
  const steps = ladderNeighbours(interval)
    .filter((i) => order.indexOf(i) > here && loadable(i))
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const to of steps) {
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

/** A one-step action on the tested set; its id names the interval so a veto covers this interval only. */
function draft(body: Extract<ActionDetail, { action: 'promote' | 'regime_expansion' | 'optimize' | 'walk_forward' | 'reoptimize' }>, rationale: string): Draft {
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
