import { describe, expect, it } from 'vitest';
import { bar, clip, partialJsonField, wrap } from '../../src/ui/text.ts';
import { titleRule } from '../../src/ui/components/Pane.tsx';
import { progressLines } from '../../src/ui/panes/EnginePane.tsx';
import { stripCells } from '../../src/ui/components/PipelineStrip.tsx';
import { initialStages } from '../../src/ui/state/reduce.ts';

describe('text helpers', () => {
  it('clip keeps text within the width and marks the cut', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 0)).toBe('');
  });

  it('wrap breaks at spaces, splits overlong words, keeps paragraph breaks', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrap('abcdefghijkl xy', 5)).toEqual(['abcde', 'fghij', 'kl xy']);
    expect(wrap('one\ntwo three', 20)).toEqual(['one', 'two three']);
    for (const w of [1, 3, 7, 13]) for (const l of wrap('Across 8 series in 1 sector, 1031 trades averaged 0.73%.', w)) expect(l.length).toBeLessThanOrEqual(w);
  });

  it('bar fills cells in proportion, clamped', () => {
    expect(bar(0.5, 8)).toBe('████░░░░');
    expect(bar(612 / 1000, 12)).toBe('███████░░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(bar(Number.NaN, 3)).toBe('░░░');
  });

  it('partialJsonField reads a string field from JSON still streaming in', () => {
    expect(partialJsonField('{"intent_match":"yes","diagnosis":"The edge \\"holds\\" in', 'diagnosis')).toBe('The edge "holds" in');
    expect(partialJsonField('{"diagnosis": "line\\nbreak \\u00e9t\\u00e9", "x": 1}', 'diagnosis')).toBe('line\nbreak été');
    expect(partialJsonField('{"summary":"x"}', 'diagnosis')).toBeNull();
    expect(partialJsonField('{"diagnosis":"cut at an escape \\', 'diagnosis')).toBe('cut at an escape ');
  });
});

describe('pane drawing arithmetic', () => {
  it('a title rule is exactly the pane width', () => {
    for (const w of [20, 39, 60]) expect(titleRule(w, '3 Spec rsi-reversion v2 ✓', 'logic 7c1e…').length).toBe(w);
    expect(titleRule(10, 'a very long title that cannot fit')).toHaveLength(10);
  });

  it('progress cells flow into lines no wider than the pane', () => {
    const keys = ['AAP', 'ADM', 'ANDV', 'AFL', 'A'].map((s, i) => ({ key: `${s}@1d`, state: i < 2 ? 'done' as const : i === 2 ? 'running' as const : 'pending' as const }));
    expect(progressLines(keys, 40)).toEqual(['AAP@1d ████  ADM@1d ████  ANDV@1d ██░░', 'AFL@1d ░░░░  A@1d ░░░░']);
  });

  it('the pipeline strip picks the widest format that fits', () => {
    const st = initialStages();
    const wide = stripCells(st, 200);
    expect(wide.sep).toBe(' ─ ');
    const narrow = stripCells(st, 80);
    expect(narrow.cells.map((c) => c.text).join(narrow.sep)).toBe('1◌Idea 2◌Transl 3◌Spec 4◌Compile 5◌Director 6◌Engine 7◌Gates 8◌Review 9◌Decide');
    expect(narrow.cells.map((c) => c.text).join(narrow.sep).length).toBeLessThanOrEqual(80);
  });
});

describe('gate checks in words', () => {
  it('a passing check shows the side that passes, a failing one the side it fell on', async () => {
    const { checkText } = await import('../../src/ui/panes/GatesPane.tsx');
    expect(checkText({ name: 'scope_trade_rate', value: 143, threshold: 100, op: '>=', verdict: 'PASS', pass: true })).toBe('✓ scope_trade_rate 143 ≥ 100');
    expect(checkText({ name: 'scope_trade_rate', value: 2.339, threshold: 100, op: '>=', verdict: 'FAIL', pass: false })).toBe('✗ scope_trade_rate 2.339 < 100');
    expect(checkText({ name: 'hedged_max_drawdown', value: 0.31, threshold: 0.25, op: '<=', verdict: 'FAIL', pass: false })).toBe('✗ hedged_max_drawdown 0.31 > 0.25');
    expect(checkText({ name: 'dsr', value: null, threshold: 0.95, op: '>=', verdict: 'FAIL', pass: false })).toBe('✗ dsr — < 0.95');
    // Not judged: the threshold it will be judged against, in brackets, never a comparison.
    expect(checkText({ name: 'edge_t', value: 1.234, threshold: 2, op: '>=', verdict: 'INSUFFICIENT', pass: false })).toBe('◌ edge_t 1.234 (≥ 2)');
  });
});

describe('the Gates pane lines: three verdicts', () => {
  it('a FAIL first (DEAD), then what is INSUFFICIENT with its sample and what is missing, then passes', async () => {
    const { gateLines } = await import('../../src/ui/panes/GatesPane.tsx');
    const v = (gate: 'edge' | 'robustness' | 'viability', verdict: 'PASS' | 'FAIL' | 'INSUFFICIENT', checks: Array<[string, number | null, number, 'PASS' | 'FAIL' | 'INSUFFICIENT', string?]>, sample: Record<string, number> = {}) => ({
      gate, verdict, pass: verdict === 'PASS', config_version: 'gates@2', sample,
      checks: checks.map(([name, value, threshold, cv, note]) => ({ name, value, threshold, op: '>=' as const, verdict: cv, pass: cv === 'PASS', ...(note === undefined ? {} : { note }) })),
    });
    const lines = gateLines([
      v('viability', 'PASS', [['scope_trade_rate', 120, 100, 'PASS']]),
      v('edge', 'INSUFFICIENT', [['edge_t', 1.5, 2, 'INSUFFICIENT', 'judged from 30 trades in ≥ 12 clusters']], { trades: 20, clusters: 9 }),
      v('robustness', 'FAIL', [['test_vs_train_retention', 0.1, 0.5, 'FAIL', 'a collapse'], ['second_vs_first_half_retention', 0.9, 0.5, 'PASS']]),
    ]).map((l) => (typeof l === 'string' ? l : l.text));
    expect(lines).toEqual([
      '✗ robustness — DEAD',
      '  ✗ test_vs_train_retention 0.1 < 0.5 (a collapse)',
      '  ✓ second_vs_first_half_retention 0.9 ≥ 0.5',
      '◌ edge — INSUFFICIENT (20 trades, 9 clusters)',
      '  ◌ edge_t 1.5 (≥ 2) (judged from 30 trades in ≥ 12 clusters)',
      '✓ viability: scope_trade_rate 120 ≥ 100',
    ]);
  });
});

describe('the Engine pane: net beside gross', () => {
  it('the newest run: net of costs and the same run at 0 costs on lines of their own', async () => {
    const { runFacts } = await import('../../src/ui/panes/EnginePane.tsx');
    const m = (sharpe: number, avg: number) => ({ total_return: 0, cagr: 0, sharpe, sortino: 0, max_drawdown: 0.082, trades: 12, trades_per_year: 0, avg_trade_return: avg, win_rate: 0, profit_factor: null, exposure: 0 });
    expect(runFacts({ label: 'AAP@1d', metrics: m(0.84, 0.0041), gross: m(0.97, 0.0061) })).toEqual(['AAP@1d: 12 trades · DD 8.20%', 'net:   Sharpe 0.84 · avg 0.410%', 'gross: Sharpe 0.97 · avg 0.610% (0 costs)']);
    expect(runFacts({ label: 'AAP@1d', metrics: m(0.84, 0.0041) })).toEqual(['AAP@1d: 12 trades · DD 8.20%', 'Sharpe 0.84 · avg 0.410%']);
  });
});

describe('a "strictly above 0" threshold is shown as > 0', () => {
  it('never as the smallest double', async () => {
    const { checkText } = await import('../../src/ui/panes/GatesPane.tsx');
    const { checkText: reasonText } = await import('../../src/core/research/gate.ts');
    const c = (value: number | null, verdict: 'PASS' | 'FAIL' | 'INSUFFICIENT') => ({ name: 'holdout_sharpe', value, threshold: Number.MIN_VALUE, op: '>=' as const, verdict, pass: verdict === 'PASS' });
    expect(checkText(c(0.494, 'PASS'))).toBe('✓ holdout_sharpe 0.494 > 0');
    expect(checkText(c(-0.1, 'FAIL'))).toBe('✗ holdout_sharpe -0.1 ≤ 0');
    expect(checkText(c(null, 'INSUFFICIENT'))).toBe('◌ holdout_sharpe — (> 0)');
    expect(reasonText(c(-0.1, 'FAIL'))).toBe('holdout_sharpe -0.1 ≤ 0');
    expect(reasonText(c(0.5, 'PASS'))).toBe('holdout_sharpe 0.5 > 0');
  });
});

describe('words for people (core/text.ts)', () => {
  it('counts in the singular when there is one', async () => {
    const { plural } = await import('../../src/core/text.ts');
    expect([plural(1, 'run'), plural(0, 'run'), plural(2, 'run'), plural(1, 'entry', 'entries'), plural(3, 'entry', 'entries')]).toEqual(['1 run', '0 runs', '2 runs', '1 entry', '3 entries']);
  });
});

describe('pane lines: wrapped where the rows allow, cut where they do not', () => {
  it('wraps long lines first to last while spare rows last; a zoomed pane wraps all', async () => {
    const { fitLines } = await import('../../src/ui/components/Pane.tsx');
    const lines = ['alpha beta gamma', 'short', 'delta epsilon zeta'];
    // Width 10: a wrapped line's parts are 8 wide (2 for the continuation indent): "alpha beta gamma"
    // is "alpha" + "  beta" + "  gamma" (2 rows more); "delta epsilon zeta" is "delta" + "  epsilon" + "  zeta" (2 more).
    const all = ['alpha', '  beta', '  gamma', 'short', 'delta', '  epsilon', '  zeta'];
    expect(fitLines(lines, 10, 7, false)).toEqual(all);
    // Five or six rows: 2 or 3 spare, taken by the first long line; the second is cut (by the pane, to 10 columns).
    expect(fitLines(lines, 10, 6, false)).toEqual(['alpha', '  beta', '  gamma', 'short', 'delta epsilon zeta']);
    expect(fitLines(lines, 10, 5, false)).toEqual(['alpha', '  beta', '  gamma', 'short', 'delta epsilon zeta']);
    // Four rows: one spare, too few for either; every line keeps its own row.
    expect(fitLines(lines, 10, 4, false)).toEqual(lines);
    expect(fitLines(lines, 10, 3, true)).toEqual(all);
  });
});
