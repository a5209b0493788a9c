/**
 * Exact rationals for the few numbers the translator derives (fees from a commission percent,
 * stop and target percents from price factors), so 0.07 % becomes exactly 7 bps and `* 0.95`
 * exactly a 5 % stop, not 7.000000000000001 and 5.000000000000004.
 */
export interface Rational { readonly n: bigint; readonly d: bigint }

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a); b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function make(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) { n = -n; d = -d; }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** Longest decimal text accepted: BigInt work on absurd exponents (1e999999) must stay cheap. */
const MAX_EXPONENT = 400;

/** The exact value of a decimal literal ("0.95", "1e-3"), or null if it is not one or is out of range. */
export function parseDecimal(text: string): Rational | null {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const digits = `${m[2]}${m[3] ?? ''}`;
  const exp = Number(m[4] ?? '0') - (m[3] ?? '').length;
  if (!Number.isFinite(exp) || Math.abs(exp) > MAX_EXPONENT) return null;
  let n = BigInt(digits === '' ? '0' : digits);
  if (m[1] === '-') n = -n;
  return exp >= 0 ? make(n * 10n ** BigInt(exp), 1n) : make(n, 10n ** BigInt(-exp));
}

/** A double's exact meaning as the user wrote it: the shortest decimal that round-trips (String(x)). */
export function fromNumber(x: number): Rational {
  const r = parseDecimal(String(x));
  if (r === null) throw new RangeError(`not a finite decimal: ${x}`);
  return r;
}

export const add = (a: Rational, b: Rational): Rational => make(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => make(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => make(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational): Rational => make(a.n * b.d, a.d * b.n);
export const isZero = (a: Rational): boolean => a.n === 0n;
export const compare = (a: Rational, b: Rational): number => { const x = a.n * b.d - b.n * a.d; return x < 0n ? -1 : x > 0n ? 1 : 0; };
export const ONE: Rational = { n: 1n, d: 1n };
export const HUNDRED: Rational = { n: 100n, d: 1n };

/** The nearest double (exact when numerator and denominator are below 2^53, as they are here). */
export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}
