import { canonicalJson } from '../../../core/spec/hash.ts';
import { allOf, anyOf, notOf, type CondIR, type OperandIR } from '../condition-ir.ts';

/**
 * Pine's `not na(x)` becomes the comparison `x <= x`, which in the spec's Kleene logic is true
 * exactly when x is defined (DESIGN §4: a comparison reading an undefined value is undefined,
 * hence false). Where it is joined by `and` to a condition that is already false or undefined
 * whenever x is undefined, the test changes nothing and is dropped, so TradingView's own
 * `if (not na(vrsi))` guard around `crossover(vrsi, …)` leaves no trace in the spec.
 */

type Cmp = Extract<CondIR, { k: 'cmp' }>;

const key = (o: OperandIR): string => canonicalJson(o.k === 'ind' ? { req: o.req, output: o.output, lag: o.lag } : o);

/**
 * Operands with the same key are defined on the same bars. The three Bollinger outputs are one
 * SMA and one standard deviation over the same window, so they share a key; other multi-output
 * indicators do not (MACD's signal starts later than its line).
 */
const definedKey = (o: OperandIR): string => key(o.k === 'ind' && o.req.fn === 'bbands' ? { ...o, output: null } : o);

/** The series x of a `x <= x` defined-test, or null. */
export function definedTestOf(c: CondIR): OperandIR | null {
  if (c.k !== 'cmp' || c.op !== '<=' || (c.l.k !== 'ind' && c.l.k !== 'field')) return null;
  return key(c.l) === key(c.r) ? c.l : null;
}

/** True when c is undefined (not true, not false) whenever x is undefined. */
function undefinedWith(c: CondIR, x: string): boolean {
  if (c.k === 'cmp') return definedKey(c.l) === x || definedKey(c.r) === x;
  if (c.k === 'not') return undefinedWith(c.c, x);
  return c.parts.every((p) => undefinedWith(p, x));
}

/** True when c is false or undefined whenever x is undefined: an `and` with one such part, an `or` of only such parts. */
function falsyWith(c: CondIR, x: string): boolean {
  if (undefinedWith(c, x)) return true;
  if (c.k === 'all') return c.parts.some((p) => falsyWith(p, x));
  if (c.k === 'any') return c.parts.every((p) => falsyWith(p, x));
  return false;
}

/** Drops every defined-test that a sibling in the same `and` already implies; exact. */
export function dropImpliedDefinedTests(c: CondIR): CondIR {
  switch (c.k) {
    case 'cmp': return c;
    case 'not': return notOf(dropImpliedDefinedTests(c.c));
    case 'any': return anyOf(c.parts.map(dropImpliedDefinedTests));
    case 'all': {
      const parts = c.parts.map(dropImpliedDefinedTests);
      const kept = parts.filter((p, i) => {
        const x = definedTestOf(p);
        if (x === null) return true;
        const k = definedKey(x);
        // Another part implies it (the first of two identical tests is kept).
        return !parts.some((q, j) => j !== i && (definedTestOf(q) === null ? falsyWith(q, k) : definedKey(definedTestOf(q)!) === k && j < i));
      });
      return allOf(kept as Cmp[] | CondIR[]);
    }
  }
}
