/**
 * The compiler: every way a schema-valid spec can still be wrong, each reported with the JSON path
 * of the offending value; the warm-up it derives; and every example spec running on real data.
 * Expected messages are written from the rules (DESIGN §3, §6), not copied from output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { DEFAULT_LIMITS } from '../../src/core/spec/complexity.ts';
import { parseSpecText, validateSpec } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { compile, CompileError } from '../../src/engine/compiler/compile.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SPEC_FILES = readdirSync('specs').filter((f) => f.endsWith('.json')).sort();
const raw = (file: string): Json => JSON.parse(readFileSync(`specs/${file}`, 'utf8')) as Json;
const load = (file: string): Spec => parseSpecText(readFileSync(`specs/${file}`, 'utf8'), file);
/** rsi-reversion.json as a mutable object: params len/lo/hi, indicators rsi (period $len) and bb (20, 2). */
const base = (): Json => raw('rsi-reversion.json');

/** The CompileError message of compiling `s` (validated by the schema first, so only the compiler can object). */
function compileError(s: Json, limits = DEFAULT_LIMITS): string {
  const spec = validateSpec(s, 'test.json');
  try {
    compile(spec, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(CompileError);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error('expected a CompileError');
}

const cmp = (l: string | number, op: string, r: string | number): unknown[] => [l, op, r];

/** Series keys the rules read ("rsi", "bb.lower", "close") with their lags, parsed here from the operand strings. */
function ruleOperands(spec: Spec): Array<{ key: string; lag: number }> {
  const out: Array<{ key: string; lag: number }> = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c)) {
      for (const x of [c[0], c[2]]) {
        const m = typeof x === 'string' ? /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)(?:\[(\d+)\])?$/.exec(x) : null;
        if (m !== null) out.push({ key: m[1]!, lag: m[2] === undefined ? 0 : Number(m[2]) });
      }
    } else if (c !== null && typeof c === 'object') Object.values(c).forEach((v) => (Array.isArray(v) && !Array.isArray(v[0]) && typeof v[1] === 'string' && v.length === 3 ? walk(v) : Array.isArray(v) ? v.forEach(walk) : walk(v)));
  };
  Object.values(spec.rules).forEach(walk);
  return out;
}

describe('compile errors name the JSON path', () => {
  it('a param value off its step grid (inside the range, so only the compiler sees it)', () => {
    const s = base();
    s.params.lo.value = 32; // grid 5, 10, …, 45: (32 − 5) / 5 = 5.4
    expect(compileError(s)).toBe('compile rsi-reversion: params.lo: param "lo" = 32 is not on its grid 5 + k·5');
    const k = raw('keltner-breakout.json');
    k.params.mult.value = 1.25; // grid 1, 1.5, …, 3
    expect(compileError(k)).toBe('compile keltner-breakout: params.mult: param "mult" = 1.25 is not on its grid 1 + k·0.5');
    k.params.mult.value = 2.5;
    expect(compile(validateSpec(k, 'k')).spec.params.mult!.value).toBe(2.5);
  });

  it('a grid value with float noise is on the grid (0.3 = 0 + 3·0.1)', () => {
    const s = base();
    s.params.x = { value: 0.3, min: 0, max: 1, step: 0.1 }; // (0.3 − 0) / 0.1 = 2.9999999999999996
    s.indicators.rsi.period = '$len';
    s.rules.long_exit = { any: [cmp('rsi', '>', '$hi'), cmp('close', '>', '$x')] };
    expect(compile(validateSpec(s, 't')).unusedParams).toEqual([]);
  });

  it('a param value outside its range: the schema says so, and so does the compiler on its own', () => {
    const s = base();
    s.params.lo.value = 50;
    expect(() => validateSpec(s, 'test.json')).toThrow('test.json: params.lo.value: value 50 lies outside [5, 45]');
    // The compiler does not trust its input: a spec object that skipped the schema is checked again.
    const unchecked = s as unknown as Spec;
    expect(() => compile(unchecked)).toThrow(CompileError);
    expect(() => compile(unchecked)).toThrow('compile rsi-reversion: params.lo: param "lo" = 50 lies outside [5, 45]');
  });

  it('a missing param reference, in a rule, a negated rule operand and an indicator argument', () => {
    const a = base();
    a.rules.long_entry.all[0] = cmp('rsi', '<', '$nope');
    expect(compileError(a)).toBe('compile rsi-reversion: rules.long_entry.all[0][2]: "$nope" names no param; params are: len, lo, hi');
    const b = base();
    b.rules.long_exit.any[0] = cmp('-$gone', '<', 'rsi');
    expect(compileError(b)).toBe('compile rsi-reversion: rules.long_exit.any[0][0]: "-$gone" names no param; params are: len, lo, hi');
    const c = base();
    c.indicators.rsi.period = '$length';
    expect(compileError(c)).toBe('compile rsi-reversion: indicators.rsi.period: "$length" names no param; params are: len, lo, hi');
    const d = base();
    d.params = {};
    d.rules.long_entry.all[0] = cmp('rsi', '<', 30);
    d.rules.long_exit.any[0] = cmp('rsi', '>', 70);
    expect(compileError(d)).toBe('compile rsi-reversion: indicators.rsi.period: "$len" names no param; params are: (none)');
  });

  it('an unknown indicator id, plain or lagged', () => {
    const s = base();
    s.rules.long_exit.any[0] = cmp('rsx', '>', '$hi');
    expect(compileError(s)).toBe('compile rsi-reversion: rules.long_exit.any[0][0]: "rsx" is neither a price field (open high low close volume) nor an indicator id (rsi, bb)');
    s.rules.long_exit.any[0] = cmp('rsi', '>', 'bbb[2]');
    expect(compileError(s)).toBe('compile rsi-reversion: rules.long_exit.any[0][2]: "bbb[2]" is neither a price field (open high low close volume) nor an indicator id (rsi, bb)');
    s.rules.long_exit.any[0] = cmp('close.lower', '>', 1); // a price field has no outputs
    expect(compileError(s)).toMatch(/^compile rsi-reversion: rules\.long_exit\.any\[0\]\[0\]: "close\.lower" is neither a price field/);
  });

  it('the wrong output: a bare multi-output id, an output a single-output fn lacks, an output that does not exist', () => {
    const s = base();
    s.rules.long_entry.all[1] = cmp('close', '<', 'bb');
    expect(compileError(s)).toBe('compile rsi-reversion: rules.long_entry.all[1][2]: indicator "bb" (bbands) needs an output: bb.upper, bb.middle, bb.lower');
    s.rules.long_entry.all[1] = cmp('rsi.k', '<', 'bb.lower');
    expect(compileError(s)).toBe('compile rsi-reversion: rules.long_entry.all[1][0]: indicator "rsi" (rsi) has a single output; write "rsi" not "rsi.k"');
    s.rules.long_entry.all[1] = cmp('close', '<', 'bb.k[3]');
    expect(compileError(s)).toBe('compile rsi-reversion: rules.long_entry.all[1][2]: indicator "bb" (bbands) needs an output: bb.upper, bb.middle, bb.lower');
    const st = raw('stochastic-oversold.json');
    st.rules.long_exit = cmp('st', '>=', '$hi');
    expect(compileError(st)).toBe('compile stochastic-oversold: rules.long_exit[0]: indicator "st" (stoch) needs an output: st.k, st.d');
  });

  it('indicator arguments the kernel cannot take', () => {
    const s = base();
    s.indicators.bb.period = 0;
    expect(compileError(s)).toBe('compile rsi-reversion: indicators.bb: period must be an integer ≥ 1, got 0');
    s.indicators.bb.period = 2.5;
    expect(compileError(s)).toBe('compile rsi-reversion: indicators.bb: period must be an integer ≥ 1, got 2.5');
    s.indicators.bb.period = 20;
    s.indicators.bb.stddev = -1;
    expect(compileError(s)).toBe('compile rsi-reversion: indicators.bb: stddev must be a number > 0, got -1');
    const m = raw('macd-signal-cross.json');
    m.params.fast.value = 20;
    m.params.slow.value = 20;
    expect(compileError(m)).toBe('compile macd-signal-cross: indicators.macd: fast must be below slow, got fast 20 and slow 20');
  });

  it('too many indicators, conditions per side or optimisable params; limits are configurable', () => {
    const s = base();
    for (const [id, period] of [['a', 5], ['b', 6], ['c', 7], ['d', 8]] as const) s.indicators[id] = { fn: 'sma', period };
    expect(compileError(s)).toBe('compile rsi-reversion: too complex: 6 indicators > 5 allowed (complexity limits, docs/gates.md)');
    delete s.indicators.d;
    expect(compile(validateSpec(s, 't')).complexity.indicators).toBe(5);
    expect(compileError(s, { ...DEFAULT_LIMITS, maxIndicators: 4 })).toBe('compile rsi-reversion: too complex: 5 indicators > 4 allowed (complexity limits, docs/gates.md)');

    // Long side: 5 in long_entry + 2 in long_exit = 7; nested groups count their comparisons.
    const l = base();
    l.rules.long_entry = { all: [cmp('rsi', '<', '$lo'), { any: [cmp('close', '<', 'bb.lower'), cmp('close', '<', 'bb.middle')] }, { not: cmp('close', '>', 'open') }, cmp('close', '<', 'close[1]')] };
    l.rules.long_exit = { any: [cmp('rsi', '>', '$hi'), cmp('close', '>', 'bb.upper')] };
    expect(compileError(l)).toBe('compile rsi-reversion: too complex: 7 long-side conditions > 6 allowed (complexity limits, docs/gates.md)');
    l.rules.long_exit = cmp('rsi', '>', '$hi');
    expect(compile(validateSpec(l, 't')).complexity.longConditions).toBe(6);
    expect(compileError(l, { ...DEFAULT_LIMITS, maxConditionsPerSide: 3 })).toBe('compile rsi-reversion: too complex: 6 long-side conditions > 3 allowed (complexity limits, docs/gates.md)');

    const sh = base();
    sh.rules.short_entry = { all: [cmp('rsi', '>', '$hi'), cmp('close', '>', 'bb.upper'), cmp('close', '>', 'open'), cmp('high', '>', 'high[1]')] };
    sh.rules.short_exit = { any: [cmp('rsi', '<', '$lo'), cmp('close', '<', 'bb.middle'), cmp('low', '<', 'low[1]')] };
    expect(compileError(sh)).toBe('compile rsi-reversion: too complex: 7 short-side conditions > 6 allowed (complexity limits, docs/gates.md)');

    // Params: 7 with room to move; a fixed one (min = max) is not optimisable and does not count.
    const p = base();
    for (const name of ['p1', 'p2', 'p3', 'p4']) p.params[name] = { value: 1, min: 0, max: 2, step: 1 };
    expect(compileError(p)).toBe('compile rsi-reversion: too complex: 7 optimisable params > 6 allowed (complexity limits, docs/gates.md)');
    p.params.p4 = { value: 1, min: 1, max: 1, step: 1 };
    const ok = compile(validateSpec(p, 't'));
    expect(ok.complexity.optimizableParams).toBe(6);
    expect(compileError(p, { ...DEFAULT_LIMITS, maxOptimizableParams: 2 })).toBe('compile rsi-reversion: too complex: 6 optimisable params > 2 allowed (complexity limits, docs/gates.md)');

    // Every broken limit is listed, in one message.
    expect(compileError(s, { maxIndicators: 1, maxConditionsPerSide: 2, maxOptimizableParams: 2 }))
      .toBe('compile rsi-reversion: too complex: 5 indicators > 1 allowed; 3 long-side conditions > 2 allowed; 3 optimisable params > 2 allowed (complexity limits, docs/gates.md)');
  });

  it('no entry rule', () => {
    const s = base();
    s.rules.long_entry = null;
    expect(compileError(s)).toBe('compile rsi-reversion: rules: neither long_entry nor short_entry is set, so no position can open');
    s.rules.long_exit = null;
    expect(compileError(s)).toBe('compile rsi-reversion: rules: every rule is null, so the strategy never trades');
    s.rules.short_entry = cmp('rsi', '>', '$hi'); // a short-only spec is fine
    expect(compile(validateSpec(s, 't')).complexity.shortConditions).toBe(1);
  });
});

describe('unused params and warm-up', () => {
  it('unusedParams lists params nothing reads; negated and indicator-argument reads count as use', () => {
    const s = base();
    s.params.extra = { value: 3, min: 1, max: 5, step: 1 };
    s.params.zzz = { value: 3, min: 3, max: 3, step: 1 };
    expect(compile(validateSpec(s, 't')).unusedParams).toEqual(['extra', 'zzz']);
    s.rules.long_exit.any.push(cmp('close', '>', '-$extra'));
    expect(compile(validateSpec(s, 't')).unusedParams).toEqual(['zzz']);
    expect(compile(load('cci-extremes.json')).unusedParams).toEqual([]); // "lvl" is read only as -$lvl and $lvl
    for (const f of SPEC_FILES) expect(compile(load(f)).unusedParams, f).toEqual([]);
  });

  it('warm-up = the longest indicator warm-up + the largest lag, by hand for six specs', () => {
    const warmup = (f: string): number => compile(load(f)).warmup;
    // RSI(14) needs 14 changes: first value at bar 14. BB(20) is an SMA of 20 closes: bar 19. No lag → 19.
    expect(warmup('rsi-reversion.json')).toBe(19);
    // highest/lowest(20): bar 19 (the exit channel, 10 bars, at 9); read as hi[1] / lo[1] → 19 + 1 = 20.
    expect(warmup('donchian-breakout.json')).toBe(20);
    // EMA(200) seeded with the SMA of the first 200 closes: bar 199; RSI(2) at 2; no lag → 199.
    expect(warmup('trend-filtered-rsi.json')).toBe(199);
    // MACD(12, 26, 9): the line needs EMA(26), first at bar 25; the signal EMA(9) seeds on line values 25…33 → 33.
    expect(warmup('macd-signal-cross.json')).toBe(33);
    // WMA(30) at bar 29; OBV read 5 bars back (obv[5]) → 29 + 5 = 34.
    expect(warmup('obv-wma-momentum.json')).toBe(34);
    // No indicators; high[1] and low[1] → 0 + 1 = 1.
    expect(warmup('inside-bar.json')).toBe(1);
    // A lag on a short indicator still adds to the longest warm-up: RSI(14) ≥ 14, rsi[3] with BB(20) → 19 + 3 = 22.
    const s = base();
    s.rules.long_exit.any.push(cmp('rsi[3]', '>', '$hi'));
    expect(compile(validateSpec(s, 't')).warmup).toBe(22);
    // Changing a param value moves the warm-up: len 30 makes RSI(30) the longest (bar 30).
    const t = base();
    t.params.len.value = 30;
    expect(compile(validateSpec(t, 't')).warmup).toBe(30);
  });
});

describe('every example spec compiles and trades on bundled data', () => {
  let aapl: Bars;
  let btc: Bars;
  beforeAll(() => {
    const u = loadBundledUniverse(undefined, { cacheDir: null });
    aapl = u.loadBars('AAPL', '1d', { repair: false }).bars;
    btc = u.loadBars('BTCUSD', '1h', { repair: false }).bars;
  });

  it('the series are what the tests below assume', () => {
    expect(aapl.time.length).toBe(1259); // 2013-02-08 … 2018-02-07, one row per trading day
    expect(new Date(aapl.time[0]!).toISOString()).toBe('2013-02-08T00:00:00.000Z');
    expect(btc.time.length).toBeGreaterThan(800);
  });

  it.each(SPEC_FILES)('%s: runs on AAPL 1d and BTCUSD 1h, trades, and every operand is defined from its warm-up on', (file) => {
    const spec = load(file);
    const c = compile(spec);
    const operands = ruleOperands(spec);
    for (const bars of [aapl, btc]) {
      const { result } = c.backtest(bars);
      const n = bars.time.length;
      expect(result.equity.length).toBe(n);
      expect(result.equity[0]).toBe(1);
      expect(Array.from(result.equity).every(Number.isFinite)).toBe(true);
      expect(result.trades.length, `${file} on ${bars.symbol}`).toBeGreaterThanOrEqual(1);
      for (const t of result.trades) expect(t.entryIndex).toBeGreaterThanOrEqual(1);
      // The warm-up is the bar from which every series the rules read, at its lag, exists (the data has no gaps
      // in its values); it is an upper bound, so some operand is still undefined the bar before.
      const strategy = c.strategy(bars);
      const definedAt = (t: number): boolean => operands.every(({ key, lag }) => t - lag >= 0 && !Number.isNaN(strategy.seriesFor(key)![t - lag]!));
      for (let t = c.warmup; t < n; t++) if (!definedAt(t)) expect.fail(`${file} on ${bars.symbol}: an operand is undefined at bar ${t} ≥ warm-up ${c.warmup}`);
      let tight = n;
      while (tight > 0 && definedAt(tight - 1)) tight--;
      // Tight for every example but one: obv-wma-momentum's longest warm-up (WMA(30), bar 29) and its largest
      // lag (obv[5]) belong to different series, so "longest warm-up + largest lag" = 34 is 5 bars conservative.
      expect(tight, file).toBe(file === 'obv-wma-momentum.json' ? 29 : c.warmup);
    }
  });

  it('the warm-up bar is where the longest series starts (rsi-reversion: bb at 19)', () => {
    const strategy = compile(load('rsi-reversion.json')).strategy(aapl);
    const middle = strategy.seriesFor('bb.middle')!;
    const rsi = strategy.seriesFor('rsi')!;
    expect([Number.isNaN(middle[18]!), Number.isNaN(middle[19]!)]).toEqual([true, false]);
    expect([Number.isNaN(rsi[13]!), Number.isNaN(rsi[14]!)]).toEqual([true, false]);
    // SMA(20) at bar 19 is the mean of the first 20 closes.
    let sum = 0;
    for (let i = 0; i < 20; i++) sum += aapl.close[i]!;
    expect(middle[19]).toBeCloseTo(sum / 20, 10);
  });

  it('hand-checked first trades: sma-cross-reversal and inside-bar on AAPL 1d', () => {
    // SMA(10) crosses above SMA(40) at the close of 2013-05-07 (62.25859 > 61.85110, the day before
    // 61.50819 ≤ 61.77685) → long at 2013-05-08's open 65.5771; reversed short at 2013-06-18's open 61.6514.
    const sma = compile(load('sma-cross-reversal.json')).backtest(aapl).result.trades;
    expect(sma[0]).toMatchObject({ side: 'long', entryTime: Date.parse('2013-05-08T00:00:00Z'), entryPrice: 65.5771, exitTime: Date.parse('2013-06-18T00:00:00Z'), exitPrice: 61.6514, exitReason: 'signal' });
    expect(sma[0]!.entryPrice).toBe(aapl.open[61]);
    // inside-bar (stop 2 %, target 3 %): 2013-02-14 (H 67.3771 < 67.6628, L 66.2885 > 66.1742, C 66.6556 > O 66.3599)
    // → long at 2013-02-15's open 66.9785; stop 66.9785 · 0.98 = 65.63893: that day's low 65.7028 stays above,
    // 2013-02-19 opens at 65.8714 and trades down to 64.8356 → stopped at 65.63893.
    // 2013-02-28 is an inside down bar → short at 2013-03-01's open 62.5714; target 62.5714 · 0.97 = 60.694258;
    // 2013-03-04 opens at 61.1142 (above it, no gap) and reaches 59.8571 → covered at 60.694258.
    const ib = compile(load('inside-bar.json')).backtest(aapl).result.trades;
    expect(ib[0]).toMatchObject({ side: 'long', entryTime: Date.parse('2013-02-15T00:00:00Z'), entryPrice: 66.9785, exitTime: Date.parse('2013-02-19T00:00:00Z'), exitReason: 'stop' });
    expect(ib[0]!.exitPrice).toBeCloseTo(66.9785 * 0.98, 10);
    expect(ib[1]).toMatchObject({ side: 'short', entryTime: Date.parse('2013-03-01T00:00:00Z'), entryPrice: 62.5714, exitTime: Date.parse('2013-03-04T00:00:00Z'), exitReason: 'target' });
    expect(ib[1]!.exitPrice).toBeCloseTo(62.5714 * 0.97, 10);
    expect(ib[1]!.return).toBeCloseTo(1 - 0.0001 - 0.97 * 1.0001, 12); // 1 bp each side
  });
});
