import { UserError } from '../../core/errors.ts';
import type { Condition, RuleName, Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { checkIndicatorArgs, computeIndicator, type IndicatorArgs } from '../indicators/registry.ts';
import { INDICATOR_OUTPUTS } from '../../core/spec/schema.ts';
import { runBacktest } from '../backtest/run.ts';
import { computeMetrics } from '../backtest/metrics.ts';
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT, type BacktestResult, type ExecutionOptions, type Metrics } from '../backtest/types.ts';
import { Base } from './base.ts';
import { all, any, compare, lag, not, T, type Operand } from './kleene.ts';
import { parseOperand, resolveNumber } from './resolve.ts';

const RULE_BITS: ReadonlyArray<[RuleName, number]> = [
  ['long_entry', LONG_ENTRY], ['long_exit', LONG_EXIT], ['short_entry', SHORT_ENTRY], ['short_exit', SHORT_EXIT],
];

/** Resolved indicator arguments for every indicator of a spec ($params replaced by their values). */
export function indicatorArgs(spec: Spec): Map<string, IndicatorArgs> {
  const out = new Map<string, IndicatorArgs>();
  for (const [id, def] of Object.entries(spec.indicators)) {
    const args: IndicatorArgs = {};
    for (const [key, v] of Object.entries(def)) {
      if (key === 'fn' || v === undefined) continue;
      args[key] = key === 'source' ? (v as string) : resolveNumber(spec, v as number | string, `indicators.${id}.${key}`);
    }
    const problem = checkIndicatorArgs(def.fn, args);
    if (problem !== null) throw new UserError(`indicators.${id}: ${problem}`);
    out.set(id, args);
  }
  return out;
}

/**
 * Runs a spec v1 directly (the interpreter that serves until the compiler exists). Rules are
 * evaluated for the whole series at once, which keeps each bit causal: every kernel reads only
 * bars ≤ t.
 */
export class SpecStrategy extends Base {
  private series = new Map<string, Float64Array>();
  private bits: Uint8Array | null = null;

  constructor(private readonly spec: Spec, bars: Bars) {
    super(bars);
  }

  protected init(): void {
    for (const [id, args] of indicatorArgs(this.spec)) {
      const def = this.spec.indicators[id]!;
      const outputs = computeIndicator(def.fn, args, this.bars);
      const names = INDICATOR_OUTPUTS[def.fn];
      if (names === null) this.series.set(id, outputs[0]!);
      else names.forEach((name, k) => this.series.set(`${id}.${name}`, outputs[k]!));
    }
  }

  override next(i: number): number {
    return this.signals()[i]!;
  }

  override signals(): Uint8Array {
    if (this.bits !== null) return this.bits;
    this.ensureInit();
    const n = this.bars.time.length;
    const bits = new Uint8Array(n);
    for (const [rule, bit] of RULE_BITS) {
      const cond = this.spec.rules[rule];
      if (cond === null) continue;
      const v = this.evaluate(cond, `rules.${rule}`, n);
      for (let i = 0; i < n; i++) if (v[i] === T) bits[i]! |= bit;
    }
    this.bits = bits;
    return bits;
  }

  private evaluate(cond: Condition, where: string, n: number): Uint8Array {
    if (Array.isArray(cond)) {
      const [l, op, r] = cond;
      return compare(this.operand(l, `${where}[0]`), op, this.operand(r, `${where}[2]`), n);
    }
    if ('all' in cond) return all(cond.all.map((c, k) => this.evaluate(c, `${where}.all[${k}]`, n)), n);
    if ('any' in cond) return any(cond.any.map((c, k) => this.evaluate(c, `${where}.any[${k}]`, n)), n);
    return not(this.evaluate(cond.not, `${where}.not`, n));
  }

  private operand(x: number | string, where: string): Operand {
    const ref = parseOperand(this.spec, x, where);
    switch (ref.kind) {
      case 'number': return { constant: ref.value };
      case 'param': return { constant: this.spec.params[ref.name]!.value };
      case 'field': {
        const s = this.bars[ref.field];
        return { series: ref.lag > 0 ? lag(s, ref.lag) : s };
      }
      case 'indicator': {
        const s = this.series.get(ref.output === null ? ref.id : `${ref.id}.${ref.output}`)!;
        return { series: ref.lag > 0 ? lag(s, ref.lag) : s };
      }
    }
  }
}

export function executionOptions(spec: Spec): ExecutionOptions {
  return {
    stopLossPct: spec.risk.stop_loss_pct,
    takeProfitPct: spec.risk.take_profit_pct,
    feesBps: spec.execution.fees_bps,
    slippageBps: spec.execution.slippage_bps,
  };
}

export function specSignals(spec: Spec, bars: Bars): Uint8Array {
  return new SpecStrategy(spec, bars).signals();
}

export function backtestSpec(spec: Spec, bars: Bars): { result: BacktestResult; metrics: Metrics; signals: Uint8Array } {
  const signals = specSignals(spec, bars);
  const result = runBacktest(bars, signals, executionOptions(spec));
  return { result, metrics: computeMetrics(bars, result), signals };
}
