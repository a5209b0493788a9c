import type { Indicator, NumOrParam, Op, PriceField } from '../../core/spec/schema.ts';

/**
 * The conditions both front-ends build before indicators have ids. Ids are assigned once every
 * rule is known, so identical indicators share one id and ids do not depend on evaluation order
 * beyond first reference.
 */

/** Pine's `ta.stoch` gives %K alone; the spec's stoch needs a signal, known only if some `ta.sma(k, n)` makes a %D. */
export interface PendingStoch { readonly fn: 'stoch'; readonly period: NumOrParam; readonly signal: null }
export type IndicatorRequest = Indicator | PendingStoch;

export type OperandIR =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'param'; readonly name: string; readonly neg: boolean }
  | { readonly k: 'field'; readonly field: PriceField; readonly lag: number }
  | { readonly k: 'ind'; readonly req: IndicatorRequest; readonly output: string | null; readonly lag: number };

/** `d` is the tree depth, kept on every node so nothing has to recurse to measure it. */
export type CondIR =
  | { readonly k: 'cmp'; readonly l: OperandIR; readonly op: Op; readonly r: OperandIR; readonly d: 1 }
  | { readonly k: 'all' | 'any'; readonly parts: readonly CondIR[]; readonly d: number }
  | { readonly k: 'not'; readonly c: CondIR; readonly d: number };

/** Deeper conditions are refused: nobody writes them on purpose, and recursion over them must stay bounded. */
export const MAX_CONDITION_DEPTH = 32;

/** Thrown by the constructors below; each front-end turns it into a refusal naming its line. */
export class ConditionTooDeep extends Error {
  override readonly name = 'ConditionTooDeep';
  constructor() { super(`condition nested deeper than ${MAX_CONDITION_DEPTH} levels`); }
}

function checked<T extends CondIR>(c: T): T {
  if (c.d > MAX_CONDITION_DEPTH) throw new ConditionTooDeep();
  return c;
}

export function cmp(l: OperandIR, op: Op, r: OperandIR): CondIR {
  return { k: 'cmp', l, op, r, d: 1 };
}

/** all/any flatten nested parts of the same kind (associativity is exact in Kleene logic) and unwrap one part. */
function join(k: 'all' | 'any', parts: readonly CondIR[]): CondIR {
  const flat: CondIR[] = [];
  for (const p of parts) {
    if (p.k === k) flat.push(...p.parts);
    else flat.push(p);
  }
  if (flat.length === 1) return flat[0]!;
  return checked({ k, parts: flat, d: 1 + Math.max(...flat.map((p) => p.d)) });
}

export const allOf = (parts: readonly CondIR[]): CondIR => join('all', parts);
export const anyOf = (parts: readonly CondIR[]): CondIR => join('any', parts);

/** not(not c) = c is exact in Kleene logic (not U = U), so double negations fold away. */
export function notOf(c: CondIR): CondIR {
  if (c.k === 'not') return c.c;
  return checked({ k: 'not', c, d: c.d + 1 });
}

/**
 * `cond[k]` in Pine: the condition as it was k bars ago. Every series operand reads k more bars
 * back; constants stay. Exact, crosses included (both of its bars move back together).
 */
export function shiftCondition(c: CondIR, k: number): CondIR {
  if (k === 0) return c;
  switch (c.k) {
    case 'cmp': return cmp(shiftOperand(c.l, k), c.op, shiftOperand(c.r, k));
    case 'not': return { k: 'not', c: shiftCondition(c.c, k), d: c.d };
    default: return { k: c.k, parts: c.parts.map((p) => shiftCondition(p, k)), d: c.d };
  }
}

export function shiftOperand(o: OperandIR, k: number): OperandIR {
  return o.k === 'field' || o.k === 'ind' ? { ...o, lag: o.lag + k } : o;
}

/** Calls `visit` on every comparison (depth is bounded by MAX_CONDITION_DEPTH). */
export function forEachCmp(c: CondIR, visit: (c: Extract<CondIR, { k: 'cmp' }>) => void): void {
  if (c.k === 'cmp') visit(c);
  else if (c.k === 'not') forEachCmp(c.c, visit);
  else for (const p of c.parts) forEachCmp(p, visit);
}
