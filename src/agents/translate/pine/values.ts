import type { CondIR, OperandIR } from '../condition-ir.ts';

/** A series the spec can read directly: a price field or an indicator output, with a lag. */
export type SeriesOperand = Extract<OperandIR, { k: 'field' | 'ind' }>;

/** What a Pine expression evaluates to at translate time. */
export type Value =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'str'; readonly v: string }
  /** An input that became a spec param (or its negation: the spec's "-$param"). */
  | { readonly k: 'param'; readonly name: string; readonly neg: boolean }
  | { readonly k: 'series'; readonly o: SeriesOperand }
  /**
   * a − b for two series. The spec cannot subtract, but `a − b > 0` ⇔ `a > b` exactly, so a
   * difference survives only in a comparison with 0. `what` names its origin for messages.
   */
  | { readonly k: 'diff'; readonly a: SeriesOperand; readonly b: SeriesOperand; readonly what: string }
  | { readonly k: 'cond'; readonly c: CondIR }
  /** A multi-output indicator call (ta.bb, ta.macd, ta.dmi, ta.kc), to be destructured. */
  | { readonly k: 'tuple'; readonly items: readonly Value[]; readonly what: string }
  /** A built-in constant with no numeric meaning of its own (strategy.long, strategy.position_avg_price …). */
  | { readonly k: 'const'; readonly name: string }
  | { readonly k: 'na' }
  /** `na(x)` of a series: only `not na(x)` has a spec meaning (x is defined), see defined.ts. */
  | { readonly k: 'isna'; readonly o: SeriesOperand; readonly what: string }
  /** `strategy.position_size` / `strategy.opentrades`: usable only compared with 0, in a guard around orders. */
  | { readonly k: 'possize'; readonly name: string }
  /**
   * A guard on the position: the states (long, short, flat) in which it holds, and the market
   * condition it is joined with by `and` (true when there is none).
   */
  | { readonly k: 'position'; readonly states: PositionStates; readonly c: CondIR | boolean; readonly what: string }
  /** Something valid in Pine that no spec operand can hold (hl2, a string input, a plot). `why` says so. */
  | { readonly k: 'opaque'; readonly what: string; readonly why: string };

export type PositionState = 'long' | 'short' | 'flat';
export type PositionStates = ReadonlySet<PositionState>;

export function describe(v: Value): string {
  switch (v.k) {
    case 'num': return `the number ${v.v}`;
    case 'bool': return `the constant ${v.v}`;
    case 'str': return 'a string';
    case 'param': return `the input ${v.neg ? '-' : ''}${v.name}`;
    case 'series': return 'a series';
    case 'diff': return `a difference of two series (${v.what})`;
    case 'cond': return 'a condition';
    case 'tuple': return `the tuple returned by ${v.what}`;
    case 'const': return `\`${v.name}\``;
    case 'na': return '`na`';
    case 'isna': return `the na test ${v.what}`;
    case 'possize': return `\`${v.name}\``;
    case 'position': return `the position guard ${v.what}`;
    case 'opaque': return v.what;
  }
}
