import { DetailSchema, type ActionDetail } from '../../core/director/details.ts';
import type { AgentOptions, AgentResult, CandidateProposal, DirectorInput, DirectorPort, DirectorRanking } from '../../core/research/ports.ts';

/**
 * The deterministic Director (offline fallback, DESIGN §1 stage 5): it keeps the rules' order and
 * writes the prose from one template per action, filled from the candidate's detail. It never
 * adds, drops or prices anything — the loop would ignore it if it tried.
 */
export class RulesDirector implements DirectorPort {
  async rank(input: DirectorInput, opts: AgentOptions = {}): Promise<AgentResult<DirectorRanking>> {
    opts.signal?.throwIfAborted();
    return { value: rulesRanking(input), source: 'rules' };
  }
}

export function rulesRanking(input: DirectorInput): DirectorRanking {
  return {
    order: input.candidates.map((c) => c.id),
    notes: Object.fromEntries(input.candidates.map((c) => [c.id, prose(c)])),
  };
}

type Prose = { justification: string; expected_information_gain: string };

/** A detail the schema rejects still gets prose: the rules' own rationale, and a generic gain. */
export function prose(c: CandidateProposal): Prose {
  const parsed = DetailSchema.safeParse({ action: c.action, detail: c.detail });
  if (!parsed.success) return { justification: c.rationale, expected_information_gain: `what ${c.action.replace('_', ' ')} shows about the edge` };
  return template(parsed.data, c.rationale);
}

const list = (xs: readonly string[]): string => xs.join(' ');

function template(d: ActionDetail, rationale: string): Prose {
  switch (d.action) {
    case 'initial_backtest':
      return {
        expected_information_gain: `a first read of trade frequency, drawdown and average trade on ${list(d.detail.symbols)} at ${d.detail.interval}`,
        justification: rationale,
      };
    case 'add_symbol': {
      const { symbols, sector, purpose, tested, positive, interval } = d.detail;
      const where = sector ?? 'the universe';
      switch (purpose) {
        case 'starter':
          return {
            expected_information_gain: `completes the ${tested + symbols.length}-symbol starter set, so viability is judged pooled rather than on one name`,
            justification: `${list(symbols)} at ${interval} are the rest of the starter set the rules chose; one symbol cannot show whether the edge is general`,
          };
        case 'deepen':
          return {
            expected_information_gain: `tests whether the edge holds beyond the first ${tested} symbols of ${where}`,
            justification: `${positive} of ${tested} ${where} symbols held a positive average trade; ${list(symbols)} are the next ${where} names by the rules`,
          };
        case 'new_sector':
          return {
            expected_information_gain: `tests whether the edge exists outside the sectors tested so far, in ${where}: the new dimension promotion needs`,
            justification: `${list(symbols)} are the first ${where} names by the rules; a sector-bound edge should be known before any tuning`,
          };
        case 'breadth':
          return {
            expected_information_gain: 'more symbols, so stability across symbols and sectors can be read at all',
            justification: `no sector has enough symbols with a positive average trade yet; ${list(symbols)} are next by the rules`,
          };
      }
      break;
    }
    case 'constrain_universe':
      return {
        expected_information_gain: `separates the ${d.detail.sector} edge from the sectors that dilute it`,
        justification: `only ${d.detail.sector} shows a positive average trade; keep its ${d.detail.keep.length} symbols, drop the other ${d.detail.drop.length}`,
      };
    case 'add_interval':
      return {
        expected_information_gain: `tests whether the edge survives one rung ${d.detail.direction} the ladder, at ${d.detail.interval} bars`,
        justification: `${d.detail.from} → ${d.detail.interval} is one ladder step (I3); the ${d.detail.symbols.length} tested symbols re-run there. ${rationale}`,
      };
    case 'optimize':
      return {
        expected_information_gain: `how much of the edge depends on the values of ${list(d.detail.params)}`,
        justification: 'the out-of-sample check passed, so tuning is allowed (I4); the search stays inside the declared ranges and on the visible segment',
      };
    case 'walk_forward':
      return {
        expected_information_gain: 'whether parameters chosen in-sample keep working on the next, unseen fold',
        justification: `a ${d.detail.mode} walk-forward over the ${d.detail.symbols.length} tested symbols is the strongest out-of-sample test short of the holdout`,
      };
    case 'reoptimize':
      return {
        expected_information_gain: 'whether a re-tune informed by the walk-forward still generalises',
        justification: 'the walk-forward ran, so a second search is judged against evidence rather than hope; it costs the most of any step',
      };
    case 'regime_expansion':
      return {
        expected_information_gain: `whether the edge depends on one ${d.detail.dimensions.join(' or ')} regime`,
        justification: 'an edge that lives in one regime fails when the regime ends; the split costs no new data',
      };
    case 'promote':
      return {
        expected_information_gain: 'the one look at the sealed holdout: does the edge survive data nobody has seen?',
        justification: `every gate passed and the edge held across ${d.detail.stable_across.replace(':', ' ')}; the holdout opens once and the opening is logged`,
      };
    case 'kill':
      return {
        expected_information_gain: 'nothing more about this idea; the remaining credits stay unspent',
        justification: 'stop when no remaining step is worth its credits',
      };
  }
  return { justification: rationale, expected_information_gain: rationale };
}
