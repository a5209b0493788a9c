// The maximum of K independent standard normals: the closed-form approximation of its mean that
// the DSR and MinBTL use, and its exact mean and variance by quadrature (the 2025 DSR needs
// Var[max_K]; the exact mean shows the approximation is conservative, stats.md D5).

import { normalCdf, normalPdf, normalQuantile, normalSurvival } from './normal.ts';
import { requireAtLeast } from './validate.ts';

/** Euler–Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329;

/**
 * E[max of N iid N(0,1)] ≈ (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)) — Bailey & López de Prado
 * (2014) "The Deflated Sharpe Ratio", eq. for E[max SR]; also Bailey, Borwein, López de Prado &
 * Zhu (2014) "Pseudo-mathematics…", Notices AMS (stats.md §1 EmaxZ, vectors D3, D4).
 * N is a real >= 1 (an effective number of trials may be fractional). N = 1 gives 0: with a
 * single trial there is no selection (stats.md §1 pitfall "N = 1"; Φ⁻¹(0) would be −∞).
 */
export function expectedMaxZ(trials: number): number {
  requireAtLeast(trials, 1, 'expectedMaxZ: trials');
  if (trials === 1) return 0;
  // Φ⁻¹(1 − a) = −Φ⁻¹(a): keeps full precision in the tail for large N.
  return -(1 - EULER_MASCHERONI) * normalQuantile(1 / trials) - EULER_MASCHERONI * normalQuantile(1 / (trials * Math.E));
}

// Composite Simpson on [−12, 12] with 24 000 panels (h = 0.001): the integrands are smooth and
// negligible outside, so the error is far below double rounding for K up to ~1e9.
const LO = -12;
const HI = 12;
const PANELS = 24_000;

function maxNormalMoments(k: number): { m1: number; m2: number } {
  const h = (HI - LO) / PANELS;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i <= PANELS; i++) {
    const z = LO + i * h;
    const w = i === 0 || i === PANELS ? 1 : i % 2 === 1 ? 4 : 2;
    // density of the max: K·φ(z)·Φ(z)^{K−1}; Φ^{K−1} through logs so huge K neither under- nor overflows.
    const logCdf = z > 0 ? Math.log1p(-normalSurvival(z)) : Math.log(normalCdf(z));
    const f = k * normalPdf(z) * Math.exp((k - 1) * logCdf);
    m1 += w * z * f;
    m2 += w * z * z * f;
  }
  return { m1: (m1 * h) / 3, m2: (m2 * h) / 3 };
}

/** Exact E[max of K iid N(0,1)] by quadrature of z·K·φ(z)·Φ(z)^{K−1} (stats.md D5). K real >= 1. */
export function expectedMaxNormal(k: number): number {
  requireAtLeast(k, 1, 'expectedMaxNormal: k');
  if (k === 1) return 0;
  return maxNormalMoments(k).m1;
}

/**
 * Var[max of K iid N(0,1)] by quadrature; 1 for K = 1. Used by the 2025 DSR (López de Prado,
 * Lipton & Zoonekynd 2025, "How to use the Sharpe ratio", Exhibit 3; stats.md Z5).
 */
export function varianceMaxNormal(k: number): number {
  requireAtLeast(k, 1, 'varianceMaxNormal: k');
  if (k === 1) return 1;
  const { m1, m2 } = maxNormalMoments(k);
  return m2 - m1 * m1;
}
