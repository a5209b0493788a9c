// Sample autocovariances of a long series by FFT (Wiener–Khinchin), O(n log n) instead of
// O(n²): Hansen's SPA needs every lag 1..n−1 for every model.

/** In-place iterative radix-2 complex FFT; `inverse` uses e^{+i…} and does NOT divide by the length. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      // Twiddles straight from cos/sin (no recurrence), so rounding does not grow with n.
      const ang = (sign * 2 * Math.PI * k) / len;
      const wr = Math.cos(ang);
      const wi = Math.sin(ang);
      for (let s = k; s < n; s += len) {
        const t = s + half;
        const xr = re[t]! * wr - im[t]! * wi;
        const xi = re[t]! * wi + im[t]! * wr;
        re[t] = re[s]! - xr;
        im[t] = im[s]! - xi;
        re[s] = re[s]! + xr;
        im[s] = im[s]! + xi;
      }
    }
  }
}

/**
 * γ̂_i = (1/n)·Σ_{t=0}^{n−1−i} e_t·e_{t+i} for i = 0..n−1, where e is `x` already demeaned by
 * the caller (the 1/n, not 1/(n−i), normalisation of stats.md §5 "g_i = autocov / n").
 */
export function autocovariances(e: ArrayLike<number>): Float64Array {
  const n = e.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (n <= 64) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t + i < n; t++) s += e[t]! * e[t + i]!;
      out[i] = s / n;
    }
    return out;
  }
  let size = 1;
  while (size < 2 * n) size <<= 1; // zero padding >= n turns the circular correlation into the linear one
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = e[i]!;
  fft(re, im, false);
  for (let k = 0; k < size; k++) {
    re[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    im[k] = 0;
  }
  fft(re, im, true);
  for (let i = 0; i < n; i++) out[i] = re[i]! / size / n;
  return out;
}
