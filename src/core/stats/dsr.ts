// Deflated Sharpe Ratio, 2014 convention: Bailey & López de Prado (2014) "The Deflated Sharpe
// Ratio: Correcting for Selection Bias, Backtest Overfitting and Non-Normality", JPM 40(5)
// 94–107 (SSRN 2460551). stats.md §1:
//   SR0 = mean{SR_n} + √Var{SR_n} · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))
//   DSR = PSR(SR0)
// Everything PER-BAR: SR, Var{SR_n} and T in bars. The gate (DESIGN §6) is DSR >= 0.95 with
// N = the trials recorded in the ledger and Var{SR_n} with ddof = 1 (DESIGN §5).

import { expectedMaxZ } from './max-normal.ts';
import { variance } from './moments.ts';
import { normalCdf } from './normal.ts';
import { psrZScore } from './psr.ts';
import type { SharpeSample } from './psr.ts';
import { requireAtLeast, requireFinite, requireIntegerAtLeast } from './validate.ts';

export interface TrialDispersion {
  /** N, the number of independent trials (real >= 1: an effective N may be fractional). */
  readonly trials: number;
  /** Var{SR_n}: variance of the trials' per-bar Sharpe ratios (same units as `sharpe`). */
  readonly trialSharpeVariance: number;
  /** mean{SR_n}; the paper (and pypbo, mlfinlab) take 0, the default. */
  readonly trialSharpeMean?: number;
}

/**
 * SR0, the expected maximum per-bar Sharpe of N unskilled trials:
 * mean + √Var{SR_n}·EmaxZ(N) (Bailey & López de Prado 2014; stats.md §1, D1 SR0 = 0.11317…).
 * N = 1 gives SR0 = mean, so DSR = PSR (stats.md pitfall).
 */
export function expectedMaxSharpe({ trials, trialSharpeVariance, trialSharpeMean = 0 }: TrialDispersion): number {
  requireAtLeast(trials, 1, 'trials (N)');
  requireAtLeast(trialSharpeVariance, 0, 'trialSharpeVariance');
  requireFinite(trialSharpeMean, 'trialSharpeMean');
  return trialSharpeMean + Math.sqrt(trialSharpeVariance) * expectedMaxZ(trials);
}

/**
 * Var{SR_n} of the trial Sharpe ratios. ddof = 1 is the project convention (DESIGN §5, pypbo);
 * mlfinlab uses ddof = 0, which matters enormously for small N (stats.md L2).
 */
export function trialSharpeVariance(sharpes: ArrayLike<number>, ddof = 1): number {
  requireIntegerAtLeast(ddof, 0, 'ddof');
  return variance(sharpes, ddof);
}

export interface DsrInput extends SharpeSample, TrialDispersion {
  /** Number of bars T >= 2 of the selected strategy. */
  readonly bars: number;
}

export interface DsrResult {
  /** DSR = PSR(SR0), a probability. */
  readonly dsr: number;
  /** SR0, the per-bar benchmark the observed Sharpe is deflated against. */
  readonly sr0: number;
  /** The PSR z-statistic at SR0. */
  readonly z: number;
}

/**
 * Deflated Sharpe Ratio DSR = PSR(SR0) with SR0 = expectedMaxSharpe(N, Var{SR_n}).
 * Bailey & López de Prado (2014), JPM 40(5) — PSR with moments at the observed SR and T − 1
 * (stats.md §1; vectors D1 = 0.9003968344493904, D2, L2). Per-bar SR, T = bars, non-excess g4.
 */
export function deflatedSharpeRatio(input: DsrInput): DsrResult {
  const sr0 = expectedMaxSharpe(input);
  const z = psrZScore({ ...input, benchmark: sr0 });
  return { dsr: normalCdf(z), sr0, z };
}
