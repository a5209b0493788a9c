// Excess trade returns (docs/statistics.md; stats.md §8): e_i = r_i − s_i·μ_j·h_i.
// r_i is the net per-trade return, s_i = +1 long / −1 short, μ_j the mean per-bar simple return of the
// trade's symbol over its visible window, h_i the bars held. Holding at random times earns μ·h on
// average, so subtracting it leaves what the timing earned: survivor drift is not an edge.

/** One trade: e = r − s·μ·h. Vector: long r 0.02, h 5, μ 0.001 → 0.015; short r 0.01, h 3 → 0.013. */
export function excessReturn(r: number, side: number, drift: number, bars: number): number {
  return r - side * drift * bars;
}

/** The column version; `drift` is one μ for every trade (one symbol) or one per trade. */
export function excessReturns(ret: Float64Array, side: Int8Array, bars: Int32Array, drift: number | Float64Array): Float64Array {
  const n = ret.length;
  if (side.length !== n || bars.length !== n) throw new RangeError(`excessReturns: ret, side and bars differ in length (${n}, ${side.length}, ${bars.length})`);
  if (typeof drift !== 'number' && drift.length !== n) throw new RangeError(`excessReturns: ${drift.length} drifts for ${n} trades`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ret[i]! - side[i]! * (typeof drift === 'number' ? drift : drift[i]!) * bars[i]!;
  return out;
}
