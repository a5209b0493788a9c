import { UserError } from '../../core/errors.ts';
import { checkReferences } from '../../core/spec/references.ts';
import { complexityViolations, DEFAULT_LIMITS, measureComplexity, type Complexity, type ComplexityLimits } from '../../core/spec/complexity.ts';
import { paramProblem } from '../../core/spec/params.ts';
import type { RuleName, Spec } from '../../core/spec/schema.ts';
import type { Bars } from '../data/bars.ts';
import { runBacktest, type OutputBuffers } from '../backtest/run.ts';
import { computeMetrics } from '../backtest/metrics.ts';
import type { BacktestResult, ExecutionOptions, Metrics } from '../backtest/types.ts';
import { CompiledStrategy, RULE_BITS, type StrategyPlan } from './compiled-strategy.ts';
import { Workspace, withWorkspace } from '../workspace.ts';
import { planCondition, planIndicators, unusedParams } from './plan.ts';

/** A spec that cannot compile: the message names the JSON path and the rule it breaks. */
export class CompileError extends UserError {
  override readonly name = 'CompileError';
}

export interface CompiledSpec {
  readonly spec: Spec;
  readonly complexity: Complexity;
  /** Bars before every indicator the rules read is defined (longest warm-up plus lag), or an ATR level's ATR if longer. */
  readonly warmup: number;
  readonly unusedParams: string[];
  readonly execution: ExecutionOptions;
  strategy(bars: Bars): CompiledStrategy;
  signals(bars: Bars): Uint8Array;
  /**
   * Signals, execution and metrics. With `reuse`, the signal, equity and position columns of this
   * compiled spec's previous reusing call are overwritten and returned again: for loops that keep only
   * metrics (optimiser trials); a result kept across calls must not use it.
   */
  backtest(bars: Bars, opts?: { reuse?: boolean }): { result: BacktestResult; metrics: Metrics; signals: Uint8Array };
}

function maxLag(plan: StrategyPlan): number {
  let m = 0;
  const walk = (c: StrategyPlan['rules'][RuleName]): void => {
    if (c === undefined) return;
    if (c.kind === 'cmp') { for (const o of [c.left, c.right]) if (o.kind === 'series') m = Math.max(m, o.lag); }
    else if (c.kind === 'not') walk(c.part);
    else c.parts.forEach(walk);
  };
  Object.values(plan.rules).forEach(walk);
  return m;
}

/**
 * Compiles a validated spec: resolves $params and checks each lies in [min, max] on its step grid,
 * checks every reference, enforces the complexity limits and static causality (only lags k ≥ 1,
 * only causal kernels), and returns a factory of strategies. This is the only way specs run.
 */
export function compile(spec: Spec, limits: ComplexityLimits = DEFAULT_LIMITS): CompiledSpec {
  const fail = (msg: string): never => { throw new CompileError(`compile ${spec.name}: ${msg}`); };
  for (const [name, p] of Object.entries(spec.params)) {
    const problem = paramProblem(name, p, p.value);
    if (problem !== null) fail(`params.${name}: ${problem}`);
  }
  try {
    checkReferences(spec);
  } catch (e) {
    if (e instanceof UserError) fail(e.message);
    throw e;
  }
  const complexity = measureComplexity(spec);
  const violations = complexityViolations(complexity, limits);
  if (violations.length > 0) fail(`too complex: ${violations.join('; ')} (complexity limits, docs/gates.md)`);
  if (RULE_BITS.every(([r]) => spec.rules[r] === null)) fail('rules: every rule is null, so the strategy never trades');
  if (spec.rules.long_entry === null && spec.rules.short_entry === null) fail('rules: neither long_entry nor short_entry is set, so no position can open');

  let plan: StrategyPlan;
  try {
    plan = {
      indicators: planIndicators(spec),
      rules: Object.fromEntries(RULE_BITS.flatMap(([r]) => {
        const c = spec.rules[r];
        return c === null ? [] : [[r, planCondition(spec, c, `rules.${r}`)]];
      })),
    };
  } catch (e) {
    if (e instanceof UserError && !(e instanceof CompileError)) fail(e.message);
    throw e;
  }
  const execution: ExecutionOptions = {
    stopLossPct: spec.risk.stop_loss_pct,
    takeProfitPct: spec.risk.take_profit_pct,
    feesBps: spec.execution.fees_bps,
    slippageBps: spec.execution.slippage_bps,
    // Only when present, so a v1 spec's options are exactly what they were.
    ...(spec.risk.stop_atr === undefined ? {} : { stopAtr: spec.risk.stop_atr }),
    ...(spec.risk.target_atr === undefined ? {} : { targetAtr: spec.risk.target_atr }),
  };
  // An ATR level holds entries back until its ATR is defined at the signal bar (docs/semantics.md).
  const atrWarmup = Math.max(spec.risk.stop_atr?.period ?? 0, spec.risk.target_atr?.period ?? 0);
  const warmup = Math.max(Math.max(0, ...plan.indicators.map((i) => i.warmup)) + maxLag(plan), atrWarmup);
  const strategy = (bars: Bars): CompiledStrategy => new CompiledStrategy(plan, bars);
  // Indicator and condition columns are scratch: only the signal bits leave `signals`, so repeated
  // runs (optimiser trials, probes) reuse the same memory instead of faulting in fresh pages.
  const ws = new Workspace();
  let reused: OutputBuffers | null = null;
  let reusedBits: Uint8Array | undefined;
  const signals = (bars: Bars, into?: Uint8Array): Uint8Array => withWorkspace(ws, () => strategy(bars).signals(into));
  return {
    spec, complexity, warmup, execution,
    unusedParams: unusedParams(spec),
    strategy,
    signals: (bars) => signals(bars),
    backtest: (bars, opts) => {
      const reuse = opts?.reuse === true;
      const signals_ = signals(bars, reuse ? reusedBits : undefined);
      const result = runBacktest(bars, signals_, execution, reuse ? reused ?? undefined : undefined);
      if (reuse) {
        reused = { equity: result.equity, position: result.position, log: result.log };
        reusedBits = signals_;
      }
      return { result, metrics: computeMetrics(bars, result), signals: signals_ };
    },
  };
}
