// Harvey & Liu (2015) "Backtesting", JPM 42(1) 13–28 (SSRN 2345489): the haircut Sharpe ratio —
// the Sharpe a strategy keeps after its p-value is adjusted for the M tests run. stats.md §4,
// following HL's own code (as ported by mlfinlab / quantstrat):
//   everything is converted to MONTHLY observations: months = ⌊obs·12/periodsPerYear⌋ (daily uses 360)
//   t = SR_annual/√12 · √months;   p = 2·(1 − F_{months−1}(t))   (two-sided Student t)
//   Bonferroni p_adj = min(M·p, 1);   t_adj = F⁻¹_{months−1}(1 − p_adj/2);   SR_adj = t_adj/√months·√12
//   haircut = (SR − SR_adj)/SR
//   AR(1) (Lo 2002 form in HL's code): SR_annual ·= [1 + 2ρ/(1−ρ)·(1 − (1−ρ^q)/(q(1−ρ)))]^{−1/2}, q = periods/yr
// HL's Holm and BHY variants SIMULATE the other M − 1 test statistics from the HLZ (2016) model
// (their `para0` table, 2000 draws, median) — not reproducible outside their RNG (stats.md H3).
// Gauntlet's ledger holds the ACTUAL p-values of every trial, so adjust those with holm() or
// benjaminiHochbergYekutieli() (multiple.ts) and pass the result as `adjustedPValue`: deterministic.

import { studentTTwoSidedPValue, studentTUpperQuantile } from './student-t.ts';
import { requireAtLeast, requireClosedUnit, requireFinite, requireIntegerAtLeast } from './validate.ts';

/**
 * Lo (2002)-style factor HL's code multiplies an annualised Sharpe by when returns have first-order
 * autocorrelation ρ: [1 + 2ρ/(1−ρ)·(1 − (1−ρ^q)/(q(1−ρ)))]^{−1/2}, q = periods per year
 * (stats.md H4: ρ = .1 → D(360) 0.905, W 0.906, M 0.912, Q 0.928).
 */
export function autocorrelationSharpeFactor(rho: number, periodsPerYear: number): number {
  if (!(Math.abs(rho) < 1)) throw new RangeError(`autocorrelation ρ must be in (−1, 1), got ${rho}`);
  requireAtLeast(periodsPerYear, 1, 'periodsPerYear');
  const q = periodsPerYear;
  if (rho === 0) return 1;
  return Math.pow(1 + ((2 * rho) / (1 - rho)) * (1 - (1 - Math.pow(rho, q)) / (q * (1 - rho))), -0.5);
}

export interface SharpeTestInput {
  /** Annualised Sharpe ratio (IID scaling, SR_bar·√periodsPerYear). */
  readonly sharpeAnnual: number;
  /** Number of return observations at `periodsPerYear` frequency. */
  readonly observations: number;
  /** 12 monthly (default), 52 weekly, 360 daily (HL's convention), 4 quarterly, 1 annual. */
  readonly periodsPerYear?: number;
  /** First-order autocorrelation ρ of the returns; when given, the AC factor is applied first. */
  readonly autocorrelation?: number;
}

export interface SharpeTest {
  /** The annual Sharpe after the autocorrelation factor (= input when no ρ). */
  readonly sharpeAnnual: number;
  /** Monthly observations ⌊obs·12/periodsPerYear⌋. */
  readonly months: number;
  /** t = SR/√12·√months. */
  readonly tStatistic: number;
  /** Two-sided p-value against Student t with months − 1 degrees of freedom. */
  readonly pValue: number;
}

/** HL's single-test t-ratio and two-sided p-value of an annualised Sharpe (stats.md H2: t = 2.8847734, p = 0.00465123). */
export function sharpeTest(input: SharpeTestInput): SharpeTest {
  const { observations, periodsPerYear = 12, autocorrelation } = input;
  requireFinite(input.sharpeAnnual, 'sharpeAnnual');
  requireAtLeast(periodsPerYear, 1, 'periodsPerYear');
  requireIntegerAtLeast(observations, 1, 'observations');
  const sharpeAnnual = autocorrelation === undefined ? input.sharpeAnnual : input.sharpeAnnual * autocorrelationSharpeFactor(autocorrelation, periodsPerYear);
  const months = Math.floor((observations * 12) / periodsPerYear);
  if (months < 2) throw new RangeError(`haircut: need at least 2 monthly observations, got ${months}`);
  const tStatistic = (sharpeAnnual / Math.sqrt(12)) * Math.sqrt(months);
  return { sharpeAnnual, months, tStatistic, pValue: studentTTwoSidedPValue(tStatistic, months - 1) };
}

export interface HaircutInput extends SharpeTestInput {
  /** M, the number of tests (Bonferroni: p_adj = min(M·p, 1)). Ignored when adjustedPValue is given. */
  readonly tests?: number;
  /** A p-value already adjusted elsewhere (Holm/BHY over the ledger's actual p-values). */
  readonly adjustedPValue?: number;
}

export interface HaircutResult extends SharpeTest {
  readonly adjustedPValue: number;
  /** SR_adj = t_adj/√months·√12, annualised. */
  readonly haircutSharpe: number;
  /** (SR − SR_adj)/SR; 1 when the adjusted p-value is 1. */
  readonly haircut: number;
}

/**
 * Harvey–Liu haircut Sharpe ratio (Harvey & Liu 2015, "Backtesting", JPM 42(1); stats.md §4,
 * vector H2: ρ = .1, 120 months, SR 1, M = 100 → Bonferroni p 0.4651230, SR_adj 0.2317309,
 * haircut 74.60 %). Defined for a positive Sharpe (the test is two-sided, the haircut is not).
 */
export function haircutSharpeRatio(input: HaircutInput): HaircutResult {
  const test = sharpeTest(input);
  if (!(test.sharpeAnnual > 0)) throw new RangeError(`haircut: sharpeAnnual must be > 0, got ${test.sharpeAnnual}`);
  let adjusted: number;
  if (input.adjustedPValue !== undefined) {
    requireClosedUnit(input.adjustedPValue, 'adjustedPValue');
    if (input.adjustedPValue < test.pValue * (1 - 1e-12)) throw new RangeError(`adjustedPValue ${input.adjustedPValue} is below the raw p-value ${test.pValue}`);
    adjusted = input.adjustedPValue;
  } else {
    const m = input.tests;
    if (m === undefined) throw new RangeError('haircut: give either tests (Bonferroni) or adjustedPValue');
    requireIntegerAtLeast(m, 1, 'tests (M)');
    adjusted = Math.min(1, m * test.pValue);
  }
  const tAdj = adjusted >= 1 ? 0 : studentTUpperQuantile(adjusted / 2, test.months - 1);
  const haircutSharpe = (tAdj / Math.sqrt(test.months)) * Math.sqrt(12);
  return { ...test, adjustedPValue: adjusted, haircutSharpe, haircut: (test.sharpeAnnual - haircutSharpe) / test.sharpeAnnual };
}
