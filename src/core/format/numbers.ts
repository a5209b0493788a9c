/**
 * Numbers for people: the one formatter of the console, the CLI, gate notes, Director facts and the
 * dossier. Every call names the kind of number, and each kind has one fixed precision, so a Sharpe
 * reads the same in a pane, a summary line and a report. JSON output never goes through here (it
 * keeps full precision). No kind ever prints an exponent: a value too small for its precision prints
 * as a bound (`<0.01%`, `<0.0001`), one too large as its whole digits.
 *
 *   kind      precision                                   examples
 *   sharpe    2 decimals (Sharpe, Sortino, Calmar)        1.23  -0.40  0.00
 *   tstat     2 decimals                                  2.31  -0.07
 *   pvalue    4 decimals, floor <0.0001                   0.0123  1.0000  <0.0001
 *   percent   a fraction as %, 3 significant digits,      12.3%  -91.9%  0.123%  0.012%  150%  1235%
 *             at most 3 decimals, floor <0.001%          <0.001%
 *   ratio     3 significant digits, at most 4 decimals    1.23  0.500  12.3  <0.0001
 *             (profit factor, efficiency, volume ratio)
 *   value     up to 4 significant digits, trailing zeros  30  0.95  1.234  2345.7  <0.000001
 *             dropped, at most 6 decimals (thresholds,
 *             prices and other numbers of no fixed kind)
 *   money     2 decimals                                  12345.67  -0.50
 *   count     whole (credits, trades, bars), as String(n) 1234  0  -3
 *             writes an integer, so counts printed as they are agree
 *   duration  1 decimal (seconds, days)                   1.5
 *   compact   an axis label: 3 digits and k/M/G           1.23  123  10.0k  2.5M  1.2G
 *
 * Not finite (NaN, ±∞) and null print as `—`, except `value`, which names ∞ and −∞ (a threshold
 * can be infinite).
 */

export type NumberKind = 'sharpe' | 'tstat' | 'pvalue' | 'percent' | 'ratio' | 'value' | 'money' | 'count' | 'duration' | 'compact';

/** What a missing or not-finite number prints as. */
export const MISSING = '—';

/** The digits of |x| ≥ 1e21 in full (toFixed would switch to an exponent there). */
function wholeDigits(x: number): string {
  const a = Math.abs(x);
  const s = a >= 1e21 ? BigInt(Math.round(a)).toString() : a.toFixed(0);
  return (x < 0 && s !== '0' ? '-' : '') + s;
}

/** `x` to `decimals` places, no exponent, and no "-0.00": a value that rounds to zero is zero. */
function fixed(x: number, decimals: number): string {
  if (Math.abs(x) >= 1e21) return wholeDigits(x);
  const s = x.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * `digits` significant digits, but at most `maxDecimals` places and never fewer than the whole
 * part (12345 stays 12345). Rounding is done first, so 9.996 at 3 digits is "10.0", not "10.00".
 */
function significant(x: number, digits: number, maxDecimals: number): string {
  if (x === 0) return digits > 1 && maxDecimals > 0 ? (0).toFixed(Math.min(digits - 1, maxDecimals)) : '0';
  const rounded = Number(x.toPrecision(digits));
  const magnitude = Math.floor(Math.log10(Math.abs(rounded === 0 ? x : rounded)));
  const decimals = Math.min(maxDecimals, Math.max(0, digits - 1 - magnitude));
  return fixed(Math.abs(x) >= 10 ** digits ? x : rounded, decimals);
}

/** The bound a nonzero value too small for `decimals` places prints as: `<0.01`, or `>-0.01` below zero. */
function belowPrecision(x: number, decimals: number): string | null {
  const step = 10 ** -decimals;
  if (x === 0 || Math.abs(x) >= step / 2) return null;
  return x > 0 ? `<${step.toFixed(decimals)}` : `>-${step.toFixed(decimals)}`;
}

/** `x` as a person reads a number of this kind (the table above). */
export function formatNumber(x: number | null | undefined, kind: NumberKind): string {
  if (x === null || x === undefined || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return kind === 'value' ? (x > 0 ? '∞' : '-∞') : MISSING;
  switch (kind) {
    case 'sharpe':
    case 'tstat':
      return fixed(x, 2);
    case 'duration':
      return fixed(x, 1);
    case 'pvalue':
      return belowPrecision(x, 4) ?? fixed(x, 4);
    case 'percent': {
      const p = 100 * x;
      if (!Number.isFinite(p)) return MISSING; // beyond 1.8e306: no percent a person could mean
      return `${belowPrecision(p, 3) ?? significant(p, 3, 3)}%`;
    }
    case 'ratio':
      return belowPrecision(x, 4) ?? significant(x, 3, 4);
    case 'value': {
      if (Number.isInteger(x)) return wholeDigits(x);
      const s = belowPrecision(x, 6) ?? significant(x, 4, 6);
      return s.includes('.') && !s.startsWith('<') && !s.startsWith('>') ? s.replace(/\.?0+$/, '') : s;
    }
    case 'money':
      return fixed(x, 2);
    case 'count':
      return wholeDigits(x);
    case 'compact': {
      const a = Math.abs(x);
      if (a >= 1e9) return `${fixed(x / 1e9, 1)}G`;
      if (a >= 1e6) return `${fixed(x / 1e6, 1)}M`;
      if (a >= 1e4) return `${fixed(x / 1e3, 1)}k`;
      return fixed(x, a >= 100 ? 0 : 2);
    }
  }
}
