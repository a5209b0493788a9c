import { effectiveRank } from '../stats/effective-trials.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * The effective number of trials for multiple testing (docs/statistics.md), measured from the ledger:
 * - which trials count: every `trial` entry of EVERY spec family recorded on overlapping data — the same
 *   universe and interval (entries written before these were recorded count as overlapping: the
 *   conservative reading). A researcher who tried 40 ideas on the same data had 40 chances.
 * - correlated trials merged: each entry carries a weight, the batch's effective count ÷ its size. An
 *   optimisation's batch has as its effective count the effective rank (Roy & Vetterli 2007) of the
 *   correlation matrix of its trials' return series, so 60 near-identical parameter sets count as few
 *   trials; a batch without return series (a backtest, a walk-forward fold search) counts every trial
 *   (weight 1), which overstates N and so errs on the harsh side.
 * - Var{SR_n}: over the counted trials' per-bar Sharpes, ddof 1; a trial measured on fewer bars than
 *   the judged sample (a walk-forward fold) has its deviation from the mean scaled by √(T_trial / T), so
 *   its larger sampling noise over a short window is not read as a spread of skill.
 */
export interface TrialScope {
  logicHash: string;
  universe: string | null;
  interval: string | null;
}

export interface TrialCounts {
  storeN: number;
  familyN: number;
  variance: number;
  how: string;
}

interface Counted {
  sharpe: number;
  weight: number;
  bars: number | null;
  family: boolean;
}

export function trialCounts(ledger: readonly LedgerEntry[], scope: TrialScope, judgedBars: number): TrialCounts {
  const counted: Counted[] = [];
  for (const e of ledger) {
    if (e.kind !== 'trial' || typeof e.payload.sharpe !== 'number' || !Number.isFinite(e.payload.sharpe)) continue;
    const p = e.payload;
    const family = p.logic_hash === scope.logicHash;
    const sameUniverse = typeof p.universe !== 'string' || scope.universe === null || p.universe === scope.universe;
    const sameInterval = typeof p.interval !== 'string' || scope.interval === null || p.interval === scope.interval;
    if (!family && !(sameUniverse && sameInterval)) continue;
    const weight = typeof p.weight === 'number' && p.weight > 0 && p.weight <= 1 ? p.weight : 1;
    counted.push({ sharpe: p.sharpe as number, weight, bars: typeof p.bars === 'number' && p.bars > 0 ? p.bars : null, family });
  }
  const storeN = counted.reduce((a, c) => a + c.weight, 0);
  const familyN = counted.filter((c) => c.family).reduce((a, c) => a + c.weight, 0);
  let variance = 0;
  let rescaled = 0;
  if (counted.length >= 2) {
    const mean = counted.reduce((a, c) => a + c.sharpe, 0) / counted.length;
    let ss = 0;
    for (const c of counted) {
      let d = c.sharpe - mean;
      if (c.bars !== null && judgedBars > 0 && c.bars < judgedBars) {
        d *= Math.sqrt(c.bars / judgedBars);
        rescaled++;
      }
      ss += d * d;
    }
    variance = ss / (counted.length - 1);
  }
  const how = `${counted.length} trial record(s) on overlapping data, correlated batches merged by effective rank; Var{SR_n} ${formatNumber(variance, 'value')}${rescaled > 0 ? ` (${rescaled} fold trial(s) rescaled to T = ${judgedBars})` : ''}`;
  return { storeN, familyN, variance, how };
}

/**
 * The weight of each trial of an optimisation batch: effective rank of the correlation matrix of the
 * trials' per-bar return series ÷ the number of trials (1 for a single trial). A trial with constant
 * returns has no correlation with anything: it keeps a row of its own (counts as one independent trial).
 */
export function batchWeight(returns: { bars: number; trials: number; values: Float64Array }): number {
  const { bars, trials, values } = returns;
  if (trials <= 1 || bars < 2) return 1;
  const z: Float64Array[] = [];
  for (let n = 0; n < trials; n++) {
    const col = values.subarray(n * bars, (n + 1) * bars);
    let m = 0;
    for (const x of col) m += x;
    m /= bars;
    let ss = 0;
    for (const x of col) ss += (x - m) ** 2;
    const sd = Math.sqrt(ss);
    z.push(sd > 0 ? Float64Array.from(col, (x) => (x - m) / sd) : new Float64Array(0));
  }
  const corr = z.map((a, i) => Float64Array.from(z, (b, j) => {
    if (i === j) return 1;
    if (a.length === 0 || b.length === 0) return 0;
    let dot = 0;
    for (let k = 0; k < bars; k++) dot += a[k]! * b[k]!;
    return Math.max(-1, Math.min(1, dot));
  }));
  return Math.min(1, effectiveRank(corr) / trials);
}
