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
      const { symbols, sector, purpose, tested, interval } = d.detail;
      const where = sector ?? 'the scope';
      switch (purpose) {
        case 'starter':
          return {
            expected_information_gain: `completes the ${tested + symbols.length}-symbol stratified screen, so every segment of the scope is seen before any is judged alone`,
            justification: `${list(symbols)} at ${interval} are the rest of the seeded stratified draw; one symbol cannot show whether the edge is general or a segment's`,
          };
        case 'deepen':
          return {
            expected_information_gain: `a larger sample in every segment of ${where}, so the pooled and per-segment edge tests can decide`,
            justification: `every segment has been screened; ${list(symbols)} deepen it evenly. ${rationale}`,
          };
        case 'breadth':
          return {
            expected_information_gain: 'the segments with the least evidence first, so no segment absorbs the budget while another is untested',
            justification: `${list(symbols)} come from the thinnest segments by a seeded draw. ${rationale}`,
          };
        case 'evidence':
          return {
            expected_information_gain: `the sample a gate needs before it can judge (${tested} symbols tested so far)`,
            justification: `not judged is not failed: ${rationale}`,
          };
      }
      break;
    }
    case 'constrain_universe': {
      const { segments, keep, drop, k } = d.detail;
      return {
        expected_information_gain: `separates the ${segments.join(' + ')} edge from the segments that dilute it`,
        justification: `${segments.join(', ')} ${segments.length === 1 ? 'holds' : 'hold'} Holm's test over the ${k} segments screened; keep ${keep.length} symbols, drop ${drop.length}. The selection multiplies the multiple-testing N by ${k}`,
      };
    }
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
        expected_information_gain: `the one look at data nobody has seen: ${d.detail.fresh.length > 0 ? `${d.detail.fresh.length} fresh symbols and ` : ''}the sealed holdout of the scope`,
        justification: rationale,
      };
    case 'kill':
      return {
        expected_information_gain: 'nothing more about this idea; the remaining credits stay unspent',
        justification: 'stop when no remaining step is worth its credits',
      };
    case 'download':
      return {
        expected_information_gain: `makes ${d.detail.interval} testable for ${list(d.detail.symbols)}, the next rung from ${d.detail.from}`,
        justification: `the universe lacks ${d.detail.interval} bars of ${list(d.detail.symbols)}; ${d.detail.fetch} bars from ${d.detail.source} fill it. Downloading costs no credits but needs network`,
      };
  }
  return { justification: rationale, expected_information_gain: rationale };
}
