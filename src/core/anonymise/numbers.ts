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

/**
 * The numbers of `text`, also where they are not written in ASCII digits: full-width and other
 * compatibility forms ("９.８７") are read through NFKC, and numbers spelled out in English ("nine
 * point eight seven", "forty-two percent") are read as words (numberWords), so a reviewer cannot
 * slip an invented figure past the check by writing it differently.
 */
export function quotedNumbers(text: string): Quoted[] {
  return [...digitNumbers(text.normalize('NFKC')), ...numberWords(text)];
}

function digitNumbers(text: string): Quoted[] {
  return [...text.matchAll(NUMBER)].map((m) => {
    const raw = m[0].trim();
    const digits = raw.replace(/[%\s]/g, '').replace('−', '-').replace(/,/g, '');
    const dot = digits.indexOf('.');
    return { text: raw, value: Number(digits), decimals: dot < 0 ? 0 : digits.length - dot - 1 };
  });
}

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6 };

/**
 * Numbers spelled out in English: a run of number words ("two hundred and five", "forty-two"),
 * optionally "point" and digit words ("nine point eight seven" = 9.87) and "percent". Counted as a
 * figure when it has decimals, is a percent, or is 20 or more ("three symbols" is prose).
 */
export function numberWords(text: string): Quoted[] {
  const tokens = [...text.replace(/-/g, ' ').matchAll(/[A-Za-z]+|[^A-Za-z\s]+/g)].map((m) => m[0]);
  const out: Quoted[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!.toLowerCase();
    if (!(w in UNITS || w in TENS || w === 'minus' || w === 'negative' || w === 'point')) continue;
    const start = i;
    let sign = 1;
    if (w === 'minus' || w === 'negative') { sign = -1; i++; }
    let total = 0;
    let group = 0;
    let seen = false;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!.toLowerCase();
      if (t in UNITS) { group += UNITS[t]!; seen = true; } else if (t in TENS) { group += TENS[t]!; seen = true; } else if (t === 'hundred' && seen) group *= 100;
      else if ((t === 'thousand' || t === 'million') && seen) { total += group * SCALES[t]!; group = 0; } else if (t === 'and' && seen) continue;
      else break;
    }
    let value = total + group;
    let decimals = 0;
    if (tokens[i]?.toLowerCase() === 'point') {
      let frac = '';
      for (i++; i < tokens.length && tokens[i]!.toLowerCase() in UNITS && UNITS[tokens[i]!.toLowerCase()]! < 10; i++) frac += String(UNITS[tokens[i]!.toLowerCase()]);
      if (frac !== '') { value += Number(`0.${frac}`); decimals = frac.length; seen = true; }
    }
    let percent = false;
    if (tokens[i]?.toLowerCase() === 'percent') { i++; percent = true; } else if (tokens[i]?.toLowerCase() === 'per' && tokens[i + 1]?.toLowerCase() === 'cent') { i += 2; percent = true; }
    // "three symbols" is prose; a figure is a decimal, a percent, or a number past the teens.
    if (seen && (decimals > 0 || percent || Math.abs(value) >= 20)) out.push({ text: tokens.slice(start, i).join(' '), value: sign * value, decimals });
    i -= 1;
  }
  return out;
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
