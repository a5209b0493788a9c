import { describe, expect, it } from 'vitest';
import { check, judged, verdict, type GateVerdict } from '../../src/core/research/gate.ts';
import type { SegmentTable } from '../../src/core/research/events.ts';
import { afterInitial, afterJudgement, isEnding, pendingOf, whenNothingOffered } from '../../src/core/research/phase.ts';

/**
 * The loop's transitions (docs/director.md), each a pure function: the verdicts and the segment
 * table in, the next phase or the session's ending out.
 */
const pass = (gate: GateVerdict['gate']): GateVerdict => verdict(gate, [check(`${gate}_check`, 1, '>=', 0)]);
const failTopShare = verdict('distribution', [check('top_trades_share', 0.7, '<=', 0.5)]);
const openEdge = verdict('edge', [judged('edge_t', 1.2, '>=', 2, 'INSUFFICIENT')]);

const row = (segment: string, holds: boolean): SegmentTable['rows'][number] =>
  ({ segment, symbols: 2, trades: 40, clusters: 20, mean_excess: 0.001, t: holds ? 4 : 0.3, p: holds ? 0.0001 : 0.4, p_holm: holds ? 0.0002 : 0.4, holds });
const table = (...rows: Array<[string, boolean]>): SegmentTable => ({ rows: rows.map(([s, h]) => row(s, h)), k: rows.length, alpha: 0.05 });

describe('the research phases', () => {
  it('after the initial backtest: the rest of the drawn screen, or straight to a judgement', () => {
    expect(afterInitial({ kind: 'start', rest: ['B', 'C'] })).toEqual({ kind: 'starter', pending: ['B', 'C'] });
    expect(afterInitial({ kind: 'start', rest: [] })).toEqual({ kind: 'research' });
    expect(pendingOf({ kind: 'starter', pending: ['B'] })).toEqual(['B']);
    expect(pendingOf({ kind: 'research' })).toEqual([]);
  });

  it('a FAIL kills, with the failed checks as the reason', () => {
    const end = afterJudgement([pass('viability'), failTopShare], table(['Tech', false], ['Energy', false]), false);
    expect(end).toEqual({ status: 'DEAD', reason: 'distribution: top_trades_share 0.7 > 0.5' });
    expect(isEnding(end)).toBe(true);
  });

  it('a pooled FAIL while some segments, not all, hold Holm is deferred: diluted, naming them', () => {
    const next = afterJudgement([failTopShare], table(['Tech', true], ['Energy', false]), false);
    expect(next).toEqual({ kind: 'diluted', failure: failTopShare, holding: ['Tech'] });
    // Every segment holding is no dilution, and a narrowed scope has no narrower one: both kill.
    expect(isEnding(afterJudgement([failTopShare], table(['Tech', true], ['Energy', true]), false))).toBe(true);
    expect(isEnding(afterJudgement([failTopShare], table(['Tech', true], ['Energy', false]), true))).toBe(true);
  });

  it('an INSUFFICIENT gate asks for evidence, naming what is missing; otherwise the research goes on', () => {
    expect(afterJudgement([pass('viability'), openEdge], table(['Tech', false]), false))
      .toEqual({ kind: 'insufficient', reason: 'insufficient evidence: edge: edge_t 1.2 < 2' });
    expect(afterJudgement([pass('viability'), pass('edge')], table(['Tech', true]), false)).toEqual({ kind: 'research' });
  });

  it('with nothing payable left: a deferred FAIL stands, missing evidence freezes saying so, otherwise the limit', () => {
    const limit = 'the Director has nothing left to propose';
    expect(whenNothingOffered({ kind: 'diluted', failure: failTopShare, holding: ['Tech'] }, limit))
      .toEqual({ status: 'DEAD', reason: 'distribution: top_trades_share 0.7 > 0.5' });
    expect(whenNothingOffered({ kind: 'insufficient', reason: 'insufficient evidence: edge: x' }, limit))
      .toEqual({ status: 'FROZEN', reason: 'insufficient evidence: edge: x — the scope has no more symbols or intervals to add' });
    expect(whenNothingOffered({ kind: 'insufficient', reason: 'insufficient evidence: edge: x' }, 'budget exhausted: 3 credits left'))
      .toEqual({ status: 'FROZEN', reason: 'insufficient evidence: edge: x — budget exhausted: 3 credits left' });
    expect(whenNothingOffered({ kind: 'research' }, limit)).toEqual({ status: 'FROZEN', reason: limit });
  });
});
