/**
 * The price model of the synthetic market (log returns; vols are per trading day).
 *
 *   session bar j of day d, symbol i in sector k (B bars a day, t the bar's index):
 *     r_t = μ_i/B + λ·(β_i·M_t + γ_i·S_{k,t} + σ_i·v_d·√w_j·ε_t) + e_t
 *     M_t = σ_M·v_d·√w_j·z_t,   S_{k,t} = σ_S·v_d·√w_j·z_{k,t}   (z, ε iid N(0,1): one M per bar,
 *                                                               one S per sector and bar)
 *   overnight gap before day d ≥ 1 (first open of day d vs the previous close; no drift, no edge):
 *     g_d = β_i·σ_M·v_d·√φ·z + γ_i·σ_S·v_d·√φ·z + σ_i·v_d·√φ·ε
 *
 * v_d is the market-wide volatility regime of day d (a 3-state Markov chain: calm 0.6, normal
 * 1.0, stressed 1.8). w_j is bar j's share of the day's variance: 1 − φ of it spread over the
 * session ∝ minutes × U-shape (0.6 + 2.4·(2x−1)², x the bar's midpoint in the session), φ = 0.2
 * overnight. With σ_M = 0.7 %, σ_S = 0.6 %, σ_i ∈ [1.0, 1.6] %, β, γ ∈ [0.7, 1.3], a normal-regime
 * day has a vol of ≈ 1.6 %.
 *
 * Planted edges (symbols of one sector only; e_t = 0 and λ = 1 elsewhere) are sized in units of
 * the symbol's average session-bar sd, a_d = s_i·v_d·√((1−φ)/B) with s_i² = β²σ_M² + γ²σ_S² + σ_i²,
 * and λ = √(1 − share) shrinks the rest so the total variance is unchanged (no volatility tell):
 *   mean_reversion, share f = strength (a transient pricing error L, AR(1) in the log price):
 *     L_t = ρ·L_{t−1} + c·a_d·√(1−ρ²)·η_t,  c = √(f / (2(1−ρ))),  e_t = L_t − L_{t−1},  ρ = 0.5
 *     → lag-k autocorrelation of session-bar returns −f·(1−ρ)·ρ^(k−1)/2 (−0.125 at lag 1, f = 0.5)
 *   trend, share g = 0.15·strength (a persistent latent drift D, acting one bar later):
 *     e_t = D_{t−1},  D_t = ρ·D_{t−1} + √g·a_d·√(1−ρ²)·η_t,  ρ = 2^(−1/10) (half-life 10 bars)
 *     → lag-k autocorrelation g·ρ^k (+0.07 at lag 1, g = 0.075)
 * η is iid N(0,1), one per symbol and bar. The overnight gap (φ of the daily variance, no edge)
 * dilutes close-to-close autocorrelations by about 1 − φ on daily bars.
 *
 * High and low are exact draws of the running max / min of a Brownian bridge from open to close
 * with the bar's variance: max = (r + √(r² − 2σ²·ln U))/2, min = (r − √(r² − 2σ²·ln U'))/2.
 * Volume: median 1e6 shares a day, spread ∝ the U-shape, higher in stressed regimes and on
 * large moves, with lognormal noise; an integer ≥ 1.
 */
import type { Bars } from './bars.ts';
import type { Random } from '../../core/random.ts';
import type { Calendar } from './synth-calendar.ts';

export const OVERNIGHT_SHARE = 0.2;
export const MARKET_VOL = 0.007;
export const SECTOR_VOL = 0.006;
export const IDIO_VOL_RANGE = [0.01, 0.016] as const;
export const BETA_RANGE = [0.7, 1.3] as const;
export const SECTOR_LOADING_RANGE = [0.7, 1.3] as const;
export const ANNUAL_DRIFT_RANGE = [0, 0.1] as const;
export const START_PRICE_RANGE = [20, 200] as const;
export const DAILY_VOLUME_MEDIAN = 1_000_000;
/** Regime vol multipliers: calm, normal, stressed. */
export const REGIME_VOL = [0.6, 1.0, 1.8] as const;
/** Daily regime transition probabilities, row = today. Mean stays: 40, ~29, 25 days. */
export const REGIME_TRANSITIONS = [
  [0.975, 0.025, 0],
  [0.02, 0.965, 0.015],
  [0, 0.04, 0.96],
] as const;

export const MR_HALF_LIFE_BARS = 1;
export const MR_MAX_SHARE = 1;
export const TREND_HALF_LIFE_BARS = 10;
export const TREND_MAX_SHARE = 0.15;

export const EDGE_NONE = 0;
export const EDGE_MEAN_REVERSION = 1;
export const EDGE_TREND = 2;

export interface EdgeModel {
  kind: typeof EDGE_NONE | typeof EDGE_MEAN_REVERSION | typeof EDGE_TREND;
  /** f (mean reversion) or g (trend): the edge's share of the symbol's session-bar variance. */
  share: number;
  rho: number;
}

export function edgeModel(kind: 'none' | 'mean_reversion' | 'trend', strength: number): EdgeModel {
  if (kind === 'mean_reversion') return { kind: EDGE_MEAN_REVERSION, share: strength * MR_MAX_SHARE, rho: 2 ** (-1 / MR_HALF_LIFE_BARS) };
  if (kind === 'trend') return { kind: EDGE_TREND, share: strength * TREND_MAX_SHARE, rho: 2 ** (-1 / TREND_HALF_LIFE_BARS) };
  return { kind: EDGE_NONE, share: 0, rho: 0 };
}

/** The exact parameters recorded in universe.json `edge.params`. */
export function edgeParamsRecord(kind: 'mean_reversion' | 'trend', strength: number): Record<string, number> {
  const m = edgeModel(kind, strength);
  if (kind === 'mean_reversion') {
    return {
      variance_share: m.share,
      ar_coefficient: m.rho,
      half_life_bars: MR_HALF_LIFE_BARS,
      transient_sd_bar_units: Math.sqrt(m.share / (2 * (1 - m.rho))),
      session_lag1_autocorr: (-m.share * (1 - m.rho)) / 2,
    };
  }
  return {
    variance_share: m.share,
    ar_coefficient: m.rho,
    half_life_bars: TREND_HALF_LIFE_BARS,
    drift_sd_bar_units: Math.sqrt(m.share),
    session_lag1_autocorr: m.share * m.rho,
  };
}

/** Per-bar-of-day variance weights (sum 1 − φ) and volume shares (sum 1). */
export interface IntradayProfile {
  sqrtW: Float64Array;
  volumeShare: Float64Array;
}

export function intradayProfile(cal: Calendar): IntradayProfile {
  const b = cal.barsPerDay;
  const raw = new Float64Array(b);
  let sum = 0;
  for (let j = 0; j < b; j++) {
    const x = 2 * cal.barMid[j]! - 1;
    raw[j] = (b === 1 ? 1 : 0.6 + 2.4 * x * x) * cal.barMinutes[j]!;
    sum += raw[j]!;
  }
  const sqrtW = new Float64Array(b);
  const volumeShare = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    volumeShare[j] = raw[j]! / sum;
    sqrtW[j] = Math.sqrt((1 - OVERNIGHT_SHARE) * volumeShare[j]!);
  }
  return { sqrtW, volumeShare };
}

/** The market-wide regime of each day (0 calm, 1 normal, 2 stressed); day 0 drawn from the stationary law. */
export function simulateRegimes(days: number, rng: Random): Uint8Array {
  const out = new Uint8Array(days);
  // Stationary distribution of REGIME_TRANSITIONS (solved by hand: π_c = 0.8 π_n, π_s = 0.375 π_n).
  const pn = 1 / 2.175;
  const u0 = rng.next();
  let state = u0 < 0.8 * pn ? 0 : u0 < 1.8 * pn ? 1 : 2;
  for (let d = 0; d < days; d++) {
    if (d > 0) {
      const row = REGIME_TRANSITIONS[state]!;
      const u = rng.next();
      state = u < row[0] ? 0 : u < row[0] + row[1] ? 1 : 2;
    }
    out[d] = state;
  }
  return out;
}

/** A common factor (market or sector) with unit loading: per session bar and per overnight gap. */
export interface FactorPath {
  bar: Float64Array;
  gap: Float64Array;
}

export function simulateFactor(vol: number, cal: Calendar, regimes: Uint8Array, profile: IntradayProfile, rng: Random): FactorPath {
  const days = cal.dayStart.length;
  const b = cal.barsPerDay;
  const bar = new Float64Array(days * b);
  const gap = new Float64Array(days);
  const sqrtGap = Math.sqrt(OVERNIGHT_SHARE);
  for (let d = 0; d < days; d++) {
    const v = vol * REGIME_VOL[regimes[d]!]!;
    if (d > 0) gap[d] = v * sqrtGap * rng.normal();
    for (let j = 0; j < b; j++) bar[d * b + j] = v * profile.sqrtW[j]! * rng.normal();
  }
  return { bar, gap };
}

export interface SymbolParams {
  beta: number;
  loading: number;
  idioVol: number;
  /** Log drift per trading day. */
  drift: number;
  startPrice: number;
  dailyVolume: number;
}

/** `annualDrift`: the range of μ_i (log, per year); one draw whatever the range, so other params keep their values. */
export function drawSymbolParams(rng: Random, annualDrift: readonly [number, number] = ANNUAL_DRIFT_RANGE): SymbolParams {
  const between = (r: readonly [number, number]): number => r[0] + (r[1] - r[0]) * rng.next();
  return {
    beta: between(BETA_RANGE),
    loading: between(SECTOR_LOADING_RANGE),
    idioVol: between(IDIO_VOL_RANGE),
    drift: between(annualDrift) / 252,
    startPrice: Math.exp(Math.log(START_PRICE_RANGE[0]) + Math.log(START_PRICE_RANGE[1] / START_PRICE_RANGE[0]) * rng.next()),
    dailyVolume: DAILY_VOLUME_MEDIAN * Math.exp(0.5 * rng.normal()),
  };
}

/** Prices are stored as printed: 6 decimals, at least 0.000001. Monotone, so OHLC order survives. */
function q6(x: number): number {
  const v = Math.round(x * 1e6) / 1e6;
  return v < 1e-6 ? 1e-6 : v;
}

export interface SymbolStreams {
  idio: Random;
  edge: Random;
  range: Random;
  volume: Random;
}

/** Fills `out` (allocated for the calendar's length) with one symbol's bars. No allocation per bar. */
export function simulateSymbol(
  out: Bars, p: SymbolParams, cal: Calendar, regimes: Uint8Array, profile: IntradayProfile,
  market: FactorPath, sector: FactorPath, edge: EdgeModel, streams: SymbolStreams,
): void {
  const days = cal.dayStart.length;
  const b = cal.barsPerDay;
  const { sqrtW, volumeShare } = profile;
  const { time, open, high, low, close, volume } = out;
  const { idio, edge: edgeRng, range, volume: volRng } = streams;
  const mBar = market.bar;
  const sBar = sector.bar;
  const totalVol = Math.sqrt(p.beta * p.beta * MARKET_VOL * MARKET_VOL + p.loading * p.loading * SECTOR_VOL * SECTOR_VOL + p.idioVol * p.idioVol);
  const sqrtGap = Math.sqrt(OVERNIGHT_SHARE);
  const permScale = Math.sqrt(1 - edge.share);
  const innov = Math.sqrt(1 - edge.rho * edge.rho);
  const mrC = edge.kind === EDGE_MEAN_REVERSION ? Math.sqrt(edge.share / (2 * (1 - edge.rho))) : 0;
  const trendSd = edge.kind === EDGE_TREND ? Math.sqrt(edge.share) : 0;
  const barDrift = p.drift / b;
  const avgBarSd = Math.sqrt((1 - OVERNIGHT_SHARE) / b);
  const volNoiseMean = -0.045; // −σ²/2 for σ = 0.3, so the lognormal factor has mean 1

  let logp = Math.log(p.startPrice);
  let state = 0; // L (mean reversion) or D (trend)
  for (let d = 0; d < days; d++) {
    const v = REGIME_VOL[regimes[d]!]!;
    if (d > 0) {
      logp += p.beta * market.gap[d]! + p.loading * sector.gap[d]! + p.idioVol * v * sqrtGap * idio.normal();
    }
    const a = totalVol * v * avgBarSd;
    const volRegime = 0.6 + 0.4 * v;
    for (let j = 0; j < b; j++) {
      const t = d * b + j;
      const o = q6(Math.exp(logp));
      let r = barDrift + permScale * (p.beta * mBar[t]! + p.loading * sBar[t]! + p.idioVol * v * sqrtW[j]! * idio.normal());
      if (edge.kind === EDGE_MEAN_REVERSION) {
        const next = edge.rho * state + mrC * a * innov * edgeRng.normal();
        r += next - state;
        state = next;
      } else if (edge.kind === EDGE_TREND) {
        r += state;
        state = edge.rho * state + trendSd * a * innov * edgeRng.normal();
      }
      const start = logp;
      logp += r;
      const c = q6(Math.exp(logp));
      // Extremes of a Brownian bridge from the open's log price to the close's, with the bar's variance.
      const sd = totalVol * v * sqrtW[j]!;
      const twoVar = 2 * sd * sd;
      const up = (r + Math.sqrt(r * r - twoVar * Math.log(1 - range.next()))) / 2;
      const down = (r - Math.sqrt(r * r - twoVar * Math.log(1 - range.next()))) / 2;
      time[t] = cal.time[t]!;
      open[t] = o;
      close[t] = c;
      const hi = q6(Math.exp(start + up));
      const lo = q6(Math.exp(start + down));
      // Guards against a last-ulp non-monotonicity of Math.exp; a no-op in practice.
      high[t] = hi > o ? (hi > c ? hi : c) : (o > c ? o : c);
      low[t] = lo < o ? (lo < c ? lo : c) : (o < c ? o : c);
      const surprise = sd > 0 ? Math.abs(r) / sd : 0;
      const vol = p.dailyVolume * volumeShare[j]! * volRegime * (0.5 + 0.6 * surprise) * Math.exp(0.3 * volRng.normal() + volNoiseMean);
      volume[t] = vol < 1 ? 1 : Math.round(vol);
    }
  }
}
