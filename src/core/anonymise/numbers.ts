/**
 * Flags numbers a reviewer's text quotes that its input does not support (DESIGN §6, I8: an LLM
 * never computes a metric, so any number it states must come from what it was shown).
 *
 * A quoted number x with d decimals is supported when some number v of the input — a JSON number,
 * or a number written inside a JSON string ("month 7 of 24", "1d") — satisfies, for c in
 * {v, 100·v, v / 100} (fraction ↔ percent either way):  | |x| − |c| | ≤ ½·10^−d.
 * That is: the text may round an input number to fewer digits, write a fraction as a percent (or
 * back), and state a loss without its sign ("lost 0.5 %"). 0, 1 and 100 are always supported: they
 * are words more than measurements ("one sector", "100 %").
 */

/** A number as written in prose: optional sign, thousands separators, decimals, optional %. */
const NUMBER = /(?<![\w.])[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?%)?/g;

interface Quoted {
  text: string;
  value: number;
  decimals: number;
}

export function quotedNumbers(text: string): Quoted[] {
  return [...text.matchAll(NUMBER)].map((m) => {
    const raw = m[0].trim();
    const digits = raw.replace(/[%\s]/g, '').replace('−', '-').replace(/,/g, '');
    const dot = digits.indexOf('.');
    return { text: raw, value: Number(digits), decimals: dot < 0 ? 0 : digits.length - dot - 1 };
  });
}

/** Every number the input states: JSON numbers, and numbers written inside its strings. */
export function inputNumbers(input: unknown): number[] {
  const out: number[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'number') { if (Number.isFinite(x)) out.push(x); }
    else if (typeof x === 'string') for (const q of quotedNumbers(x)) out.push(q.value);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(input);
  return out;
}

const ALWAYS = [0, 1, 100];

/** The quoted numbers (as written, first occurrence each) that nothing in `input` supports. */
export function unsupportedNumbers(text: string, input: unknown): string[] {
  const known = [...ALWAYS, ...inputNumbers(input)].map(Math.abs);
  const out: string[] = [];
  for (const q of quotedNumbers(text)) {
    const x = Math.abs(q.value);
    const tol = 0.5 * 10 ** -q.decimals + 1e-12 * Math.max(1, x);
    const ok = known.some((v) => Math.abs(x - v) <= tol || Math.abs(x - 100 * v) <= tol || Math.abs(x - v / 100) <= tol);
    if (!ok && !out.includes(q.text)) out.push(q.text);
  }
  return out;
}
