import { check, judged, verdict } from '../research/gate.ts';
import type { Check, GateVerdict, Verdict } from '../research/gate.ts';
import type { OptimizationResult } from '../research/ports.ts';
import type { SeriesRun } from '../research/run.ts';
import {
  deflatedSharpeRatio,
  hasMinimumSample,
  minBacktestLength,
  moments,
  probabilisticSharpeRatio,
  probabilityOfBacktestOverfitting,
  sharpeRatio,
  trialSharpeVariance,
} from '../stats/index.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { MultipleTestingConfig } from './config.ts';
import { equalWeightPortfolio, unionYears } from './portfolio.ts';
import { excessSample } from './excess-sample.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Trials recorded in the ledger for this spec family (same logic hash), the run being judged
 * included: either every trial's per-bar Sharpe, or their count N and the variance of their
 * per-bar Sharpes (ddof 1, DESIGN §5).
 */
export type TrialRecord = readonly number[] | { readonly count: number; readonly sharpeVariance: number } | TrialCounts;

/**
 * The effective number of trials the store holds on overlapping data (every spec family), this
 * family's own count beside it, and the variance of their per-bar Sharpes (fold trials rescaled):
 * what the loop measures from the ledger (docs/statistics.md, effective number of trials).
 */
export interface TrialCounts {
  readonly storeN: number;
  readonly familyN: number;
  readonly variance: number;
  readonly how: string;
}

export interface MultipleTestingInput {
  runs: readonly SeriesRun[];
  trials: TrialRecord;
  /** The minimum sample of an edge judgement; below it DSR is reported, not judged. Default: always judged. */
  minimum?: { trades: number; clusters: number };
  /** Present once an optimisation has run: its per-bar trial returns feed PBO. */
  optimization?: OptimizationResult | null;
}

/** What DSR, PSR and MinBTL need to know about the strategy's per-bar returns. */
export interface ReturnSample {
  /** Per-bar Sharpe, not annualised. */
  readonly sharpe: number;
  /** g3, population. */
  readonly skewness: number;
  /** g4, population, NON-excess (normal = 3). */
  readonly kurtosis: number;
  /** T: the number of per-bar returns. */
  readonly bars: number;
  /** Calendar length of the backtest in years (for MinBTL). */
  readonly years: number;
}

/**
 * The equal-weight portfolio's per-bar return sample (stats.md §1 conventions): T = the number of
 * per-bar returns (U − 1 for U aligned bar times), years = `unionYears`. A string says why it
 * cannot be measured (fewer than two returns, or constant returns, where g3 and g4 are undefined).
 */
export function portfolioSample(runs: readonly SeriesRun[], opts: { hedged?: boolean } = {}): ReturnSample | string {
  if (runs.length === 0) return 'no runs to judge';
  const { returns } = equalWeightPortfolio(runs, opts);
  if (returns.length < 2) return `${returns.length} portfolio return(s): need at least 2`;
  const m = moments(returns);
  if (!Number.isFinite(m.skewness) || !Number.isFinite(m.kurtosis)) return 'the portfolio returns are constant (no trade, or no variation): no Sharpe to test';
  return { sharpe: sharpeRatio(returns), skewness: m.skewness, kurtosis: m.kurtosis, bars: returns.length, years: unionYears(runs) };
}

/**
 * Multiple testing (DESIGN §6) on the pooled equal-weight portfolio of the runs:
 * - dsr: Deflated Sharpe PSR(SR0), SR0 = √Var{SR_n}·EmaxZ(N) with mean{SR_n} = 0 (the paper's null:
 *   no trial has skill); N = 1 gives SR0 = 0, so DSR = PSR(0);
 * - psr: PSR against SR* = 0, a pass condition too. With mean{SR_n} = 0, SR0 ≥ 0, so DSR ≤ PSR and
 *   this check never decides alone at the defaults — it is there so a failure says whether there is
 *   no edge even as a single test (psr fails) or the edge does not survive N trials (only dsr fails);
 * - backtest_years ≥ MinBTL(N, E_target = the observed annualised Sharpe), in calendar years;
 * - pbo ≤ maxPbo by CSCV (S = pboBlocks, Sharpe metric) on the optimisation's per-bar trial returns,
 *   only once an optimisation has run; otherwise the check is omitted and the dsr note says so.
 */
export function multipleTesting(input: MultipleTestingInput, config: MultipleTestingConfig = DEFAULT_GATE_CONFIG.multipleTesting): GateVerdict {
  const s = excessSample(input.runs);
  const min = input.minimum;
  const short = min !== undefined && !hasMinimumSample(s.count, s.clusters, min.trades, min.clusters)
    ? `judged from ${min.trades} trades in ≥ ${min.clusters} calendar clusters; have ${s.count} in ${s.clusters}` : null;
  const v = multipleTestingFromSample(portfolioSample(input.runs, { hedged: true }), input.trials, input.optimization ?? null, config, short);
  return { ...v, sample: { ...v.sample, trades: s.count, clusters: s.clusters } };
}

/** The same gate from an already measured return sample (or the reason it could not be measured). */
export function multipleTestingFromSample(
  sample: ReturnSample | string,
  trials: TrialRecord,
  optimization: OptimizationResult | null,
  config: MultipleTestingConfig = DEFAULT_GATE_CONFIG.multipleTesting,
  /** Why the sample is below the minimum (DSR then reported as INSUFFICIENT), or null. */
  short: string | null = null,
): GateVerdict {
  const { n, variance, how, familyN } = dispersion(trials);
  // MinBTL asks whether N zero-skill trials could have reached THIS in-sample Sharpe by luck over
  // this length, so E_target is the observed annualised Sharpe; the configured value stands in
  // when there is no positive Sharpe to test (the dsr and psr checks fail then anyway).
  const observed = typeof sample === 'string' || sample.years <= 0 ? NaN : sample.sharpe * Math.sqrt(sample.bars / sample.years);
  const target = observed > 0 ? observed : config.minBtlTargetSharpe;
  const minBtl = minBacktestLength(n, target);
  const pbo = optimization === null ? 'no optimisation has run' : pboCheck(optimization, config);
  const pboNote = typeof pbo === 'string' ? `; PBO not measured: ${pbo}` : '';
  const checks: Check[] = [];
  const counts = familyN === null ? `N = ${formatNumber(n, 'value')} trials (${how})` : `store N = ${formatNumber(n, 'value')}, family N = ${formatNumber(familyN, 'value')} (${how})`;
  if (typeof sample === 'string') {
    checks.push(judged('dsr', null, '>=', config.minDsr, 'INSUFFICIENT', `${sample}${pboNote}`));
  } else {
    const s = { sharpe: sample.sharpe, skewness: sample.skewness, kurtosis: sample.kurtosis, bars: sample.bars };
    const described = `hedged per-bar SR ${formatNumber(s.sharpe, 'value')} over T = ${s.bars} bars, g3 ${formatNumber(s.skewness, 'value')}, g4 ${formatNumber(s.kurtosis, 'value')} (non-excess)`;
    const dsr = measure(() => deflatedSharpeRatio({ ...s, trials: n, trialSharpeVariance: variance }));
    const psr = measure(() => probabilisticSharpeRatio({ ...s, benchmark: 0 }));
    const extra = `PSR(0) ${typeof psr === 'string' ? psr : formatNumber(psr, 'value')}; MinBTL ${formatNumber(minBtl, 'value')} years for the observed annual Sharpe ${formatNumber(target, 'value')} vs ${formatNumber(sample.years, 'value')} years tested`;
    if (typeof dsr === 'string') checks.push(judged('dsr', null, '>=', config.minDsr, 'INSUFFICIENT', `${dsr}${pboNote}`));
    else {
      const v: Verdict = short !== null ? 'INSUFFICIENT' : dsr.dsr >= config.minDsr ? 'PASS' : dsr.dsr <= config.failDsr ? 'FAIL' : 'INSUFFICIENT';
      const why = short !== null ? `; ${short}` : v === 'FAIL' ? `; DSR ≤ ${formatNumber(config.failDsr, 'value')}: the Sharpe is significantly below what the best of N zero-skill trials reaches` : v === 'INSUFFICIENT' ? '; more evidence decides it' : '';
      checks.push(judged('dsr', dsr.dsr, '>=', config.minDsr, v, `${counts}, SR0 = ${formatNumber(dsr.sr0, 'value')} per bar; ${described}; ${extra}${pboNote}${why}`));
    }
  }
  if (typeof pbo !== 'string') checks.push(pbo);
  return verdict('multiple_testing', checks);
}

function dispersion(trials: TrialRecord): { n: number; variance: number; how: string; familyN: number | null } {
  if ('storeN' in trials) {
    const n = Math.max(1, trials.storeN);
    return { n, variance: n > 1 ? trials.variance : 0, how: trials.how, familyN: trials.familyN };
  }
  if ('count' in trials) {
    if (!(trials.count >= 1)) return { n: 1, variance: 0, how: `ledger count ${trials.count} < 1, counted as N = 1 (the run itself)`, familyN: null };
    return { n: trials.count, variance: trials.sharpeVariance, how: `Var{SR_n} = ${formatNumber(trials.sharpeVariance, 'value')} as recorded`, familyN: null };
  }
  const list = trials as readonly number[];
  if (list.length === 0) return { n: 1, variance: 0, how: 'none recorded, counted as N = 1 (the run itself)', familyN: null };
  if (list.length === 1) return { n: 1, variance: 0, how: 'a single trial: no selection, SR0 = 0', familyN: null };
  const v = trialSharpeVariance(list, 1);
  return { n: list.length, variance: v, how: `Var{SR_n} = ${formatNumber(v, 'value')} over the ledger's per-bar Sharpes, ddof 1`, familyN: null };
}

/** A statistic, or why it is undefined: the stats library throws RangeError on degenerate moments (e.g. a two-point distribution with Var(SR) = 0). */
function measure<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) return `unmeasurable: ${e.message}`;
    throw e;
  }
}

/** The PBO check, or why it does not apply (a string: the check is omitted). */
function pboCheck(opt: OptimizationResult, config: MultipleTestingConfig): Check | string {
  const { bars, trials, values } = opt.returns;
  // One trial is not a selection: there is nothing to overfit, so PBO does not apply.
  if (trials < 2) return `the optimisation tried ${trials} configuration(s)`;
  if (values.length !== bars * trials) throw new RangeError(`optimisation returns: ${values.length} values, expected bars × trials = ${bars * trials}`);
  // OptimizationResult stores bars × trials column-major: trial n is values[n·bars … (n+1)·bars).
  const columns = Array.from({ length: trials }, (_, n) => values.subarray(n * bars, (n + 1) * bars));
  const S = config.pboBlocks;
  if (Math.floor(bars / S) * (S / 2) < 2) return judged('pbo', null, '<=', config.maxPbo, 'INSUFFICIENT', `${bars} bars are too few for CSCV with S = ${S} blocks (each half needs ≥ 2 bars)`);
  const r = measure(() => probabilityOfBacktestOverfitting(columns, { blocks: S, metric: 'sharpe' }));
  if (typeof r === 'string') return judged('pbo', null, '<=', config.maxPbo, 'INSUFFICIENT', r);
  return check('pbo', r.pbo, '<=', config.maxPbo, `CSCV over ${r.combinations} splits of S = ${S} blocks, ${trials} trials × ${bars} bars, per-bar Sharpe; P(OOS loss) ${formatNumber(r.probOosLoss, 'value')}, degradation slope ${formatNumber(r.degradation.slope, 'value')}`);
}
