import { requirePeriod } from './columns.ts';
import { sma } from './sma.ts';
import { scratchF64 } from '../workspace.ts';

/**
 * Two SMAs of one source in one pass: [sma(src, p), sma(src, q)], bit for bit. Each mean runs exactly
 * the arithmetic of `sma` (the same compensated window sum, the same order of operations); only the
 * loop is shared, so the source is read once and the two sums' dependency chains overlap. A 2-SMA
 * strategy, the commonest there is, spends a third of its backtest in these two kernels.
 * A NaN in the source (a break, which `sma` restarts the window after) sends both to `sma` itself.
 */
export function smaPair(src: Float64Array, p: number, q: number): [Float64Array, Float64Array] {
  requirePeriod('period', p);
  requirePeriod('period', q);
  const n = src.length;
  const a = scratchF64(n);
  const b = scratchF64(n);
  let sa = 0, ca = 0, sb = 0, cb = 0;
  const m = Math.min(Math.max(p, q), n);
  // Warm-up of the longer window (the shorter one warms up, then rolls): as `sma` does, per mean.
  let i = 0;
  for (; i < m; i++) {
    const v = src[i]!;
    if (v !== v) return [sma(src, p), sma(src, q)];
    if (i < p) {
      const t = sa + v;
      const vv = t - sa;
      ca += (sa - (t - vv)) + (v - vv);
      sa = t;
      a[i] = i === p - 1 ? (sa + ca) / p : NaN;
    } else {
      [sa, ca] = roll(sa, ca, src[i - p]!, v);
      a[i] = (sa + ca) / p;
    }
    if (i < q) {
      const t = sb + v;
      const vv = t - sb;
      cb += (sb - (t - vv)) + (v - vv);
      sb = t;
      b[i] = i === q - 1 ? (sb + cb) / q : NaN;
    } else {
      [sb, cb] = roll(sb, cb, src[i - q]!, v);
      b[i] = (sb + cb) / q;
    }
  }
  // Both windows full: a function of its own, so V8 optimises the loop on its own terms (entered
  // from the warm-up above, it was compiled with its sums boxed).
  return i >= n || rollBoth(src, p, q, i, sa, ca, sb, cb, a, b) ? [a, b] : [sma(src, p), sma(src, q)];
}

/**
 * The rolling step of `sma`, written out for both windows, from bar `from` on; false at a NaN.
 * Written out rather than calling `roll`: a returned pair would not stay in registers.
 */
function rollBoth(src: Float64Array, p: number, q: number, from: number, sa: number, ca: number, sb: number, cb: number, a: Float64Array, b: Float64Array): boolean {
  const n = src.length;
  for (let i = from; i < n; i++) {
    const v = src[i]!;
    if (v !== v) return false;
    const oa = src[i - p]!;
    const xa = sa - oa;
    const ya = sa - xa;
    const e1a = (sa - (xa + ya)) + (ya - oa);
    const za = xa + v;
    const wa = za - xa;
    const e2a = (xa - (za - wa)) + (v - wa);
    sa = za;
    ca = ca + e1a + e2a;
    a[i] = (sa + ca) / p;
    const ob = src[i - q]!;
    const xb = sb - ob;
    const yb = sb - xb;
    const e1b = (sb - (xb + yb)) + (yb - ob);
    const zb = xb + v;
    const wb = zb - xb;
    const e2b = (xb - (zb - wb)) + (v - wb);
    sb = zb;
    cb = cb + e1b + e2b;
    b[i] = (sb + cb) / q;
  }
  return true;
}

/** One rolling step of `sma`'s compensated sum: drop `old`, add `v`. */
function roll(sum: number, comp: number, old: number, v: number): [number, number] {
  const x = sum - old;
  const y = sum - x;
  const e1 = (sum - (x + y)) + (y - old);
  const z = x + v;
  const w = z - x;
  const e2 = (x - (z - w)) + (v - w);
  return [z, comp + e1 + e2];
}
