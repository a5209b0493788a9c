import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_TABLE } from '../../src/core/budget/cost-table.ts';
import { rulesPolicy } from '../../src/core/director/policy.ts';
import { InvariantError } from '../../src/core/invariants.ts';
import { check, verdict, type GateVerdict } from '../../src/core/research/gate.ts';
import type { ResearchState } from '../../src/core/research/state.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';
import { paramsHash } from '../../src/core/spec/hash.ts';
import { makeRun, universe } from './director-fixtures.ts';

const spec = parseSpecText(readFileSync(new URL('../../specs/rsi-reversion.json', import.meta.url), 'utf8'), 'rsi-reversion.json');
const pass = (gate: GateVerdict['gate']): GateVerdict => verdict(gate, [check(`${gate}_check`, 1, '>=', 0)]);

/** Starter set AMD NVDA MU SLB AAPL, then three Health names that held (two of three positive). */
function researchState(over: Partial<ResearchState> = {}): ResearchState {
  const rows: Array<[string, string, number]> = [
    ['AMD', 'Tech', 0.01], ['NVDA', 'Tech', 0.01], ['MU', 'Tech', -0.01], ['SLB', 'Energy', 0.01], ['AAPL', 'Tech', 0.01],
    ['PFE', 'Health', 0.02], ['MRK', 'Health', 0.01], ['JNJ', 'Health', -0.005],
  ];
  const runs = rows.map(([symbol, sector, r]) => makeRun({ symbol, sector, bars: 20, trades: [[1, 3, r], [5, 8, r]] }));
  return {
    session: 's1', spec, specId: 'a'.repeat(64), logicHash: 'b'.repeat(64), meta: spec.meta,
    compile: { complexity: { indicators: 2, longConditions: 2, shortConditions: 0, optimizableParams: 3 }, warmup: 20, unusedParams: ['hi'] },
    keys: runs.map((r) => r.key), interval: '1d', runs,
    verdicts: new Map(['viability', 'edge', 'distribution', 'robustness', 'complexity', 'causality', 'multiple_testing'].map((g) => [g, pass(g as GateVerdict['gate'])])),
    vetoed: new Set(), vetoNotes: [], phase: { kind: 'research' }, milestones: new Set(['reviewed', 'oos_passed', 'regime_checked']), optimization: null, walkForward: null,
    regimeFacts: ['volatility high: 4 trades, avg trade 1.00%, win rate 75%'], constrainedTo: null, selectionK: 1, drawSeed: '1:test', balance: 500, facts: [],
    ...over,
  };
}

describe('rulesPolicy (the loop\'s Policy port)', () => {
  const policy = rulesPolicy({ table: DEFAULT_COST_TABLE });

  it('promotes when the required gates passed, with fresh symbols for the confirmation', () => {
    const ps = policy.proposeNext(researchState(), universe());
    expect(ps[0]!.id).toBe(`promote:${paramsHash(spec).slice(0, 8)}@1d`);
    // 16 trades over 8 tested symbols = 2 a symbol; 30 trades need 15 fresh symbols, the universe has 4 untested: skipped.
    expect(ps[0]!.detail).toMatchObject({ fresh: [], segments: ['Energy', 'Health', 'Tech'] });
    // `hi` is unused by the compiled rules, so only len and lo are optimised.
    expect(ps.find((p) => p.action === 'optimize')!.detail).toMatchObject({ params: ['len', 'lo'] });
  });

  it('does not promote with a required gate missing, or once the holdout is open', () => {
    const missing = researchState();
    missing.verdicts.delete('causality');
    expect(policy.proposeNext(missing, universe()).map((p) => p.action)).not.toContain('promote');
    expect(policy.proposeNext(researchState({ milestones: new Set(['reviewed', 'oos_passed', 'regime_checked', 'holdout_opened']) }), universe()).map((p) => p.action)).not.toContain('promote');
    const strict = rulesPolicy({ table: DEFAULT_COST_TABLE, required: ['viability', 'holdout', 'pbo_extra'] });
    expect(strict.proposeNext(researchState(), universe()).map((p) => p.action)).not.toContain('promote');
  });

  it('checks the ladder, states facts and anonymises without tickers', () => {
    expect(() => policy.ladderCheck('1d', '1h')).toThrow(InvariantError);
    // Each Tech run's 19 bar returns: its trade return at bars 3 and 8, zeros elsewhere → six +0.01, two −0.01, 68 zeros.
    const sharpe = (0.04 / 76) / Math.sqrt((8e-4 - 0.04 ** 2 / 76) / 75) * Math.sqrt(252);
    expect(policy.facts(researchState())[0]).toBe(`Tech: 4 symbols, 3 of 4 with a positive average trade, 8 trades, avg trade 0.500%, pooled Sharpe ${sharpe.toFixed(2)}`);
    expect(policy.facts(researchState())).toContain('viability PASS');
    const input = policy.anonymise(researchState({ spec: { ...spec, idea: 'Buy AMD and NVDA dips like in 2015' } }));
    const json = JSON.stringify(input);
    for (const t of ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL', 'PFE', 'MRK', 'JNJ']) expect(json).not.toContain(t);
    expect(input.idea).toBe('Buy Tech A and Tech B dips like in [year]');
    expect(json).not.toMatch(/(?<!\d)(19|20)\d\d(?!\d)/);
  });
});
