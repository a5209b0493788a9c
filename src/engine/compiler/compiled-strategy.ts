import type { PriceField, RuleName } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { computeIndicator } from '../indicators/registry.ts';
import { smaPair } from '../indicators/sma-pair.ts';
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT } from '../backtest/types.ts';
import { Base } from '../strategy/base.ts';
import { all, any, compare, compareInto, crossPairInto, lag, not, T, type Operand } from '../strategy/kleene.ts';
import type { ConditionPlan, IndicatorPlan, OperandPlan } from './plan.ts';
import { refuseMissingVolume } from './volume-guard.ts';

export const RULE_BITS: ReadonlyArray<readonly [RuleName, number]> = [
  ['long_entry', LONG_ENTRY], ['long_exit', LONG_EXIT], ['short_entry', SHORT_ENTRY], ['short_exit', SHORT_EXIT],
];

/** The single-cross rules on one pair of operands: the bits their crosses above and below set. */
interface CrossPair {
  a: OperandPlan;
  b: OperandPlan;
  above: number;
  below: number;
}

const operandKey = (o: OperandPlan): string => (o.kind === 'const' ? `#${o.value}` : `${o.key}@${o.lag}`);

/** Files a cross rule under its unordered pair: `b crosses_above a` is `a crosses_below b`. */
function addCross(pairs: Map<string, CrossPair>, left: OperandPlan, op: 'crosses_above' | 'crosses_below', right: OperandPlan, bit: number): void {
  const [l, r] = [operandKey(left), operandKey(right)];
  const swap = l > r;
  const key = swap ? `${r}|${l}` : `${l}|${r}`;
  let p = pairs.get(key);
  if (p === undefined) pairs.set(key, p = { a: swap ? right : left, b: swap ? left : right, above: 0, below: 0 });
  if ((op === 'crosses_above') !== swap) p.above |= bit;
  else p.below |= bit;
}

export interface StrategyPlan {
  indicators: IndicatorPlan[];
  rules: Partial<Record<RuleName, ConditionPlan>>;
}

/**
 * A compiled spec bound to one series. Every name was resolved at compile time, so running it only
 * computes indicator kernels and whole-series comparisons: each bit at bar t reads bars ≤ t only.
 */
export class CompiledStrategy extends Base {
  private readonly series = new Map<string, Float64Array>();
  private bits: Uint8Array | null = null;

  constructor(private readonly plan: StrategyPlan, bars: Bars) {
    super(bars);
    refuseMissingVolume(bars, plan.indicators, Object.values(plan.rules));
  }

  protected init(): void {
    const b = this.bars;
    for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) this.series.set(f, b[f]);
    const paired = this.pairSmas();
    for (const ind of this.plan.indicators) {
      if (paired.has(ind)) continue;
      const outs = computeIndicator(ind.fn, ind.args, b);
      ind.keys.forEach((k, i) => this.series.set(k, outs[i]!));
    }
  }

  /** SMAs of the same source, two by two, in one pass each (smaPair); returns the ones it computed. */
  private pairSmas(): Set<IndicatorPlan> {
    const bySource = new Map<string, IndicatorPlan[]>();
    for (const ind of this.plan.indicators) {
      if (ind.fn !== 'sma') continue;
      const source = (ind.args.source as PriceField | undefined) ?? 'close';
      bySource.set(source, [...(bySource.get(source) ?? []), ind]);
    }
    const done = new Set<IndicatorPlan>();
    for (const [source, list] of bySource) {
      for (let k = 0; k + 1 < list.length; k += 2) {
        const [x, y] = [list[k]!, list[k + 1]!];
        const [a, c] = smaPair(this.bars[source as PriceField], x.args.period as number, y.args.period as number);
        this.series.set(x.keys[0]!, a);
        this.series.set(y.keys[0]!, c);
        done.add(x).add(y);
      }
    }
    return done;
  }

  /** The series an indicator or field produced (for charts and the Reviewer's aggregates). */
  seriesFor(key: string): Float64Array | undefined {
    this.ensureInit();
    return this.series.get(key);
  }

  override next(i: number): number {
    return this.signals()[i]!;
  }

  /**
   * Signal bits for every bar. `into` (of the series' length) is overwritten and returned instead of
   * a fresh column: for callers that run the same series again and again (see CompiledSpec.backtest).
   */
  override signals(into?: Uint8Array): Uint8Array {
    if (this.bits !== null) return this.bits;
    this.ensureInit();
    const n = this.bars.time.length;
    const bits = into?.length === n ? into.fill(0) : new Uint8Array(n);
    const crosses = new Map<string, CrossPair>();
    for (const [rule, bit] of RULE_BITS) {
      const cond = this.plan.rules[rule];
      if (cond === undefined) continue;
      if (cond.kind === 'cmp' && (cond.op === 'crosses_above' || cond.op === 'crosses_below')) {
        addCross(crosses, cond.left, cond.op, cond.right, bit);
        continue;
      }
      if (cond.kind === 'cmp') {
        compareInto(this.operand(cond.left), cond.op, this.operand(cond.right), bits, bit);
        continue;
      }
      const v = this.evaluate(cond, n);
      // T is 1 and U is 2, so `& T` keeps exactly the true bars, without a branch.
      for (let i = 0; i < n; i++) bits[i]! |= (v[i]! & T) * bit;
    }
    for (const c of crosses.values()) {
      if (c.above !== 0 && c.below !== 0) crossPairInto(this.operand(c.a), this.operand(c.b), c.above, c.below, bits);
      else compareInto(this.operand(c.a), c.above !== 0 ? 'crosses_above' : 'crosses_below', this.operand(c.b), bits, c.above | c.below);
    }
    this.bits = bits;
    return bits;
  }

  private evaluate(c: ConditionPlan, n: number): Uint8Array {
    switch (c.kind) {
      case 'cmp': return compare(this.operand(c.left), c.op, this.operand(c.right), n);
      case 'all': return all(c.parts.map((p) => this.evaluate(p, n)), n);
      case 'any': return any(c.parts.map((p) => this.evaluate(p, n)), n);
      case 'not': return not(this.evaluate(c.part, n));
    }
  }

  private operand(o: OperandPlan): Operand {
    if (o.kind === 'const') return { constant: o.value };
    const s = this.series.get(o.key)!;
    return { series: o.lag > 0 ? lag(s, o.lag) : s };
  }
}
