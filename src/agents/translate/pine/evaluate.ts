import type { NumOrParam, Op, Param } from '../../../core/spec/schema.ts';
import { PRICE_FIELDS, type PriceField } from '../../../core/spec/schema.ts';
import { allOf, anyOf, cmp, ConditionTooDeep, notOf, shiftCondition, shiftOperand, type CondIR, type OperandIR } from '../condition-ir.ts';
import { refusePine } from '../refused.ts';
import type { Expr } from './ast.ts';
import { callBuiltin } from './builtins.ts';
import { INPUT_CALLEES, inputValue } from './inputs.ts';
import { quote } from './parse.ts';
import { describe, type PositionState, type PositionStates, type SeriesOperand, type Value } from './values.ts';

const ALL_STATES: PositionStates = new Set<PositionState>(['long', 'short', 'flat']);

/** The position states in which `size op 0` holds (size > 0 long, < 0 short, == 0 flat). */
function statesOf(op: string, sign: -1 | 1): PositionStates {
  const want = (x: number): boolean => op === '<' ? x < 0 : op === '<=' ? x <= 0 : op === '>' ? x > 0 : op === '>=' ? x >= 0 : op === '==' ? x === 0 : x !== 0;
  const out = new Set<PositionState>();
  for (const [st, x] of [['long', 1], ['short', -1], ['flat', 0]] as const) if (want(sign * x)) out.add(st);
  return out;
}

/** A top-level declaration. Bindings are evaluated lazily: only what an order reads is translated. */
export interface Binding {
  readonly name: string;
  /** Statement ordinal: an expression sees only bindings declared before its own statement. */
  readonly index: number;
  readonly line: number;
  readonly expr: Expr;
  /** For `[a, b, c] = f(…)`: which element this name takes. */
  readonly tupleItem: number | null;
  readonly tupleSize: number;
  value?: Value;
  busy?: boolean;
}

/**
 * A param with the statement that declared it (the spec lists params in script order) and the
 * warnings that apply only if the param ends up in the spec.
 */
export interface DeclaredParam { readonly param: Param; readonly index: number; readonly notes: readonly string[] }

/** Evaluation recursion guard: AST depth plus chains of variables referring to variables. */
export const MAX_EVAL_DEPTH = 400;

type Cmp = '<' | '<=' | '>' | '>=';

const STRATEGY_CONSTANTS = new Set(['strategy.long', 'strategy.short', 'strategy.position_avg_price', 'strategy.commission.percent',
  'strategy.commission.cash_per_order', 'strategy.commission.cash_per_contract', 'strategy.percent_of_equity', 'strategy.fixed', 'strategy.cash']);
const COMBOS = new Set(['hl2', 'hlc3', 'ohlc4', 'hlcc4']);

/** One `NAME := ta.atr(n)` inside an if block: the block's guard and position states identify the entry beside it. */
export interface CaptureAssign { readonly line: number; readonly guard: unknown; readonly states: PositionStates | null; readonly period: NumOrParam }
/** A `var` that captures ATR at an entry (atr-capture.ts): read only in strategy.exit levels. */
export interface Capture { readonly name: string; readonly line: number; readonly index: number; readonly assigns: CaptureAssign[] }

export class PineEvaluator {
  readonly bindings = new Map<string, Binding>();
  readonly captures = new Map<string, Capture>();
  readonly params = new Map<string, DeclaredParam>();
  private readonly warningSet = new Set<string>();
  private depth = 0;

  constructor(readonly src: string, readonly source: string) {}

  get warnings(): string[] { return [...this.warningSet]; }
  warn(message: string): void { this.warningSet.add(message); }

  fail(line: number, construct: string, why: string, fix: string): never {
    return refusePine(this.source, line, construct, why, fix);
  }

  q(e: Expr): string { return quote(this.src, e); }

  declare(names: readonly string[], tuple: boolean, expr: Expr, index: number, line: number): void {
    names.forEach((name, k) => {
      if (name === '_') return;
      if (this.bindings.has(name)) this.fail(line, `\`${name}\``, `it is already declared on line ${this.bindings.get(name)!.line}, and redeclaring it would need reassignment`, 'Give the new value its own name.');
      this.bindings.set(name, { name, index, line, expr, tupleItem: tuple ? k : null, tupleSize: names.length });
    });
  }

  /** A `var` that captures ATR at an entry; refused if the name is taken. */
  declareCapture(name: string, line: number, index: number): Capture {
    const taken = this.bindings.get(name)?.line ?? this.captures.get(name)?.line;
    if (taken !== undefined) this.fail(line, `\`${name}\``, `it is already declared on line ${taken}, and redeclaring it would need reassignment`, 'Give the new value its own name.');
    const c: Capture = { name, line, index, assigns: [] };
    this.captures.set(name, c);
    return c;
  }

  /** The value of a name as seen from statement `scope`. */
  private nameValue(e: Expr & { t: 'name' }, scope: number): Value {
    const cap = this.captures.get(e.name);
    if (cap !== undefined) {
      this.fail(e.line, `\`${e.name}\``, `it holds ATR captured at an entry (\`var\` on line ${cap.line}), which the subset reads only in strategy.exit's stop= and limit= (spec v1.1 ATR levels)`, `Read it only in stop=strategy.position_avg_price - k * ${e.name} or limit=strategy.position_avg_price + k * ${e.name} (mirrored for shorts).`);
    }
    const b = this.bindings.get(e.name);
    if (b !== undefined) {
      if (b.index >= scope) this.fail(e.line, `\`${e.name}\``, `it is used before its declaration on line ${b.line}`, 'Declare it above its first use.');
      return this.bindingValue(b);
    }
    const name = e.name;
    if (name === 'true' || name === 'false') return { k: 'bool', v: name === 'true' };
    if (name === 'na') return { k: 'na' };
    if ((PRICE_FIELDS as readonly string[]).includes(name)) return { k: 'series', o: { k: 'field', field: name as PriceField, lag: 0 } };
    if (name === 'ta.obv' || name === 'obv') return { k: 'series', o: { k: 'ind', req: { fn: 'obv' }, output: null, lag: 0 } };
    if (COMBOS.has(name)) return { k: 'opaque', what: `\`${name}\``, why: `${name} is not a price field (the spec's fields are open high low close volume)` };
    if (name === 'strategy.position_size' || name === 'strategy.opentrades') return { k: 'possize', name };
    if (STRATEGY_CONSTANTS.has(name)) return { k: 'const', name };
    if (name === 'bar_index' || name === 'n') return { k: 'opaque', what: `\`${name}\``, why: 'bar counts depend on where the data starts, and the spec has no operand for them' };
    return this.fail(e.line, `\`${name}\``, 'it is neither declared above this line nor a built-in the subset knows', 'Declare it, or use a price field (open high low close volume) or a ta.* indicator.');
  }

  bindingValue(b: Binding): Value {
    if (b.value !== undefined) return b.value;
    if (b.busy === true) this.fail(b.line, `\`${b.name}\``, 'its definition refers to itself', 'Remove the self-reference.');
    b.busy = true;
    let v = b.expr.t === 'call' && INPUT_CALLEES.has(b.expr.callee) && b.tupleItem === null
      ? inputValue(this, b, b.expr)
      : this.eval(b.expr, b.index);
    if (b.tupleItem !== null) {
      if (v.k !== 'tuple') this.fail(b.line, `\`[…] = ${this.q(b.expr).slice(1)}`, `the right-hand side is ${describe(v)}, not a tuple`, 'Destructure only ta.bb, ta.macd, ta.dmi or ta.kc.');
      if (v.items.length !== b.tupleSize) this.fail(b.line, `a ${b.tupleSize}-name destructuring of ${v.what}`, `${v.what} returns ${v.items.length} values`, `Write ${v.items.length} names in the brackets.`);
      v = v.items[b.tupleItem]!;
    }
    b.busy = false;
    b.value = v;
    return v;
  }

  eval(e: Expr, scope: number): Value {
    if (++this.depth > MAX_EVAL_DEPTH) this.fail(e.line, 'definitions this deep', `variables and expressions nest more than ${MAX_EVAL_DEPTH} levels`, 'Simplify the script.');
    try {
      return this.evalNode(e, scope);
    } catch (err) {
      if (err instanceof ConditionTooDeep) this.fail(e.line, this.q(e), err.message, 'Simplify the condition.');
      throw err;
    } finally {
      this.depth--;
    }
  }

  private evalNode(e: Expr, scope: number): Value {
    switch (e.t) {
      case 'num': return { k: 'num', v: e.v };
      case 'str': return { k: 'str', v: e.v };
      case 'color': return { k: 'opaque', what: 'a color', why: 'colors are cosmetic' };
      case 'name': return this.nameValue(e, scope);
      case 'call': return callBuiltin(this, e, scope);
      case 'index': return this.history(e, scope);
      case 'unary': return this.unary(e, scope);
      case 'binary': return this.binary(e, scope);
      case 'logic': return this.logic(e, scope);
      case 'ternary': return this.fail(e.line, `the ?: operator in ${this.q(e)}`, 'it selects between values bar by bar, and spec operands are fixed', 'Write one if block per branch.');
      case 'list': return this.fail(e.line, `the list ${this.q(e)}`, 'lists are outside the subset', 'Remove it.');
    }
  }

  /** `x[k]`: k must fold to an integer ≥ 0; it moves every series in x k bars back. */
  private history(e: Expr & { t: 'index' }, scope: number): Value {
    const target = this.eval(e.target, scope);
    const idx = this.eval(e.index, scope);
    if (idx.k === 'param') this.fail(e.line, `the history offset in ${this.q(e)}`, `the offset is the input ${idx.name}, and spec lags are fixed integers`, 'Use a literal offset such as [1].');
    if (idx.k !== 'num') this.fail(e.line, `the history offset in ${this.q(e)}`, `the offset is ${describe(idx)}`, 'Use a literal integer offset such as [1].');
    const k = idx.v;
    if (k < 0) this.fail(e.line, `the negative history offset in ${this.q(e)}`, 'it reads a bar that has not happened yet', 'Use offsets k ≥ 1: x[1] is the previous bar.');
    if (!Number.isInteger(k)) this.fail(e.line, `the history offset in ${this.q(e)}`, `${k} is not an integer`, 'Use an integer offset.');
    if (k === 0) return target;
    switch (target.k) {
      case 'series': return { k: 'series', o: shiftOperand(target.o, k) as SeriesOperand };
      case 'diff': return { ...target, a: shiftOperand(target.a, k) as SeriesOperand, b: shiftOperand(target.b, k) as SeriesOperand };
      case 'cond': return { k: 'cond', c: shiftCondition(target.c, k) };
      default: return this.fail(e.line, this.q(e), `it takes the history of ${describe(target)}`, 'Apply [k] to a price, an indicator or a condition.');
    }
  }

  private unary(e: Expr & { t: 'unary' }, scope: number): Value {
    const v = this.eval(e.e, scope);
    if (e.op === 'not') {
      if (v.k === 'bool') return { k: 'bool', v: !v.v };
      // not na(x) ⇔ x is defined ⇔ x <= x (a comparison reading an undefined value is false): exact.
      if (v.k === 'isna') return { k: 'cond', c: cmp(v.o, '<=', v.o) };
      if (v.k === 'position') {
        if (v.c !== true) this.fail(e.line, this.q(e), 'it negates a position guard joined with a market condition, which has no spec equivalent', 'Negate the position test alone, e.g. not (strategy.position_size > 0) and cond.');
        return { k: 'position', states: new Set([...ALL_STATES].filter((x) => !v.states.has(x))), c: true, what: this.q(e) };
      }
      if (v.k === 'cond') return { k: 'cond', c: notOf(v.c) };
      return this.fail(e.line, this.q(e), `\`not\` is applied to ${describe(v)}`, 'Apply not to a condition, e.g. not (close > open).');
    }
    if (e.op === '+' && (v.k === 'num' || v.k === 'param' || v.k === 'series')) return v;
    if (v.k === 'num') return { k: 'num', v: -v.v };
    if (v.k === 'param') return { k: 'param', name: v.name, neg: !v.neg };
    return this.fail(e.line, this.q(e), `the spec cannot negate ${describe(v)} (only numbers and inputs: "-$param")`, 'Move the sign into the comparison, e.g. write a < b instead of -a > -b.');
  }

  private binary(e: Expr & { t: 'binary' }, scope: number): Value {
    const l = this.eval(e.l, scope);
    const r = this.eval(e.r, scope);
    switch (e.op) {
      case '<': case '<=': case '>': case '>=': return this.compare(e, e.op, l, r);
      case '==': case '!=': return this.equality(e, e.op, l, r);
      default: return this.arithmetic(e, l, r);
    }
  }

  private arithmetic(e: Expr & { t: 'binary' }, l: Value, r: Value): Value {
    if (l.k === 'num' && r.k === 'num') {
      if ((e.op === '/' || e.op === '%') && r.v === 0) this.fail(e.line, this.q(e), 'it divides by zero', 'Fix the expression.');
      const v = e.op === '+' ? l.v + r.v : e.op === '-' ? l.v - r.v : e.op === '*' ? l.v * r.v : e.op === '/' ? l.v / r.v : l.v % r.v;
      if (!Number.isFinite(v)) this.fail(e.line, this.q(e), 'it does not fold to a finite number', 'Fix the expression.');
      return { k: 'num', v };
    }
    if (e.op === '-' && l.k === 'series' && r.k === 'series') return { k: 'diff', a: l.o, b: r.o, what: this.q(e) };
    if (l.k === 'param' || r.k === 'param') {
      const p = l.k === 'param' ? l : r as Value & { k: 'param' };
      this.fail(e.line, `the arithmetic ${this.q(e)}`, `the spec cannot compute with the input ${p.name} (an operand is a number, "$param" or "-$param")`, 'Declare a separate input for the derived value.');
    }
    return this.fail(e.line, `the series arithmetic ${this.q(e)}`, 'the spec compares operands directly and cannot compute with series (only `a - b` compared with 0 is rewritten, to `a` vs `b`)', 'Compare the series themselves, or use a band indicator (ta.bb, ta.kc) for offsets from an average.');
  }

  /** A difference compared with 0 becomes a comparison of its two sides: (a − b) op 0 ⇔ a op b, 0 op (a − b) ⇔ b op a. */
  private pair(e: Expr, l: Value, r: Value, op: string, eL: Expr, eR: Expr): [OperandIR, OperandIR] {
    const zero = (v: Value): boolean => v.k === 'num' && v.v === 0;
    const note = (d: Value & { k: 'diff' }, left: OperandIR, right: OperandIR): void => {
      if (/^`(ta\.)?(mom|change)\(/.test(d.what)) {
        this.warn(`line ${e.line}: ${d.what} compared with 0 is written as ${renderOperand(left)} ${op} ${renderOperand(right)} (exact: the spec cannot subtract, but a difference compared with 0 is a comparison of its two sides)`);
      }
    };
    if (l.k === 'diff' && zero(r)) { note(l, l.a, l.b); return [l.a, l.b]; }
    if (r.k === 'diff' && zero(l)) { note(r, r.b, r.a); return [r.b, r.a]; }
    const diff = l.k === 'diff' ? l : r.k === 'diff' ? r : null;
    if (diff !== null) {
      this.fail(e.line, `the series arithmetic ${diff.what}`, 'the spec cannot subtract series; a difference can only be compared with 0 (then it becomes a comparison of its two sides)', 'Compare the two series directly.');
    }
    return [this.operand(l, eL), this.operand(r, eR)];
  }

  /** `strategy.position_size op 0` (either side): the position states it holds in. */
  private positionTest(e: Expr & { t: 'binary' }, op: string, l: Value, r: Value): Value | null {
    if (l.k !== 'possize' && r.k !== 'possize') return null;
    const size = (l.k === 'possize' ? l : r) as Value & { k: 'possize' };
    const other = l.k === 'possize' ? r : l;
    const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
    const o = l.k === 'possize' ? op : flip[op]!;
    // opentrades counts open trades (≥ 0): `>= 1` and `< 1` are the usual ways to write "in a position" / "flat".
    const opentradesOne = size.name === 'strategy.opentrades' && other.k === 'num' && other.v === 1 && (o === '>=' || o === '<');
    if (!(other.k === 'num' && other.v === 0) && !opentradesOne) {
      this.fail(e.line, this.q(e), `\`${size.name}\` is compared with ${describe(other)}; the subset reads it only compared with 0, as the sign of the position`, `Write ${size.name} > 0 (long), < 0 (short) or == 0 (flat) in an if around the order.`);
    }
    let states: PositionStates;
    if (size.name === 'strategy.opentrades') {
      const open = opentradesOne ? o === '>=' : o === '>' || o === '!=' || o === '>=';
      const flat = opentradesOne ? o === '<' : o === '==' || o === '<=' || o === '>=';
      states = new Set<PositionState>([...(open ? ['long', 'short'] as const : []), ...(flat ? ['flat'] as const : [])]);
      if (o === '<') states = opentradesOne ? new Set(['flat']) : new Set();
    } else {
      states = statesOf(o, 1);
    }
    return { k: 'position', states, c: true, what: this.q(e) };
  }

  private compare(e: Expr & { t: 'binary' }, op: Cmp, l: Value, r: Value): Value {
    const pos = this.positionTest(e, op, l, r);
    if (pos !== null) return pos;
    if (l.k === 'num' && r.k === 'num') {
      return { k: 'bool', v: op === '<' ? l.v < r.v : op === '<=' ? l.v <= r.v : op === '>' ? l.v > r.v : l.v >= r.v };
    }
    const [a, b] = this.pair(e, l, r, op, e.l, e.r);
    return { k: 'cond', c: cmp(a, op, b) };
  }

  private equality(e: Expr & { t: 'binary' }, op: '==' | '!=', l: Value, r: Value): Value {
    const pos = this.positionTest(e, op, l, r);
    if (pos !== null) return pos;
    if (l.k === 'num' && r.k === 'num') return { k: 'bool', v: op === '==' ? l.v === r.v : l.v !== r.v };
    if (l.k === 'bool' && r.k === 'bool') return { k: 'bool', v: op === '==' ? l.v === r.v : l.v !== r.v };
    if (l.k === 'cond' || r.k === 'cond' || l.k === 'bool' || r.k === 'bool') {
      this.fail(e.line, this.q(e), 'comparing conditions for equality is outside the subset', 'Use and / or / not.');
    }
    const [a, b] = this.pair(e, l, r, op, e.l, e.r);
    // Exact rewrites: a == b ⇔ a ≤ b and a ≥ b; a != b ⇔ a < b or a > b (both undefined exactly when a or b is).
    return { k: 'cond', c: op === '==' ? allOf([cmp(a, '<=', b), cmp(a, '>=', b)]) : anyOf([cmp(a, '<', b), cmp(a, '>', b)]) };
  }

  /** ta.crossover / ta.crossunder / ta.cross over two evaluated arguments. */
  crossing(e: Expr, op: 'crosses_above' | 'crosses_below' | 'cross', l: Value, r: Value, eL: Expr, eR: Expr): Value {
    if (l.k === 'num' && r.k === 'num') this.fail(e.line, this.q(e), 'it crosses two constants, which never happens', 'Cross a series.');
    const [a, b] = this.pair(e, l, r, op, eL, eR);
    if (op === 'cross') return { k: 'cond', c: anyOf([cmp(a, 'crosses_above', b), cmp(a, 'crosses_below', b)]) };
    return { k: 'cond', c: cmp(a, op as Op, b) };
  }

  private logic(e: Expr & { t: 'logic' }, scope: number): Value {
    const conds: CondIR[] = [];
    const isAnd = e.op === 'and';
    // Evaluated left to right, stopping once a constant decides (a folded bool input may switch off a part the subset cannot read).
    const values: Value[] = [];
    for (const part of e.parts) {
      const v = this.eval(part, scope);
      values.push(v);
      if (v.k === 'bool' && v.v !== isAnd) break;
    }
    const positions = values.filter((v): v is Value & { k: 'position' } => v.k === 'position');
    if (positions.length > 0) {
      // `and` intersects the states and joins the market conditions; `or` only of pure position tests.
      if (!isAnd && positions.length !== values.length) this.fail(e.line, this.q(e), 'a position guard joined by `or` with a market condition has no spec equivalent', 'Join position guards with `and`, or use separate if blocks.');
      if (!isAnd && positions.some((p) => p.c !== true)) this.fail(e.line, this.q(e), 'position guards with market conditions joined by `or` have no spec equivalent', 'Use separate if blocks.');
      let states = new Set<PositionState>(isAnd ? ALL_STATES : []);
      for (const p of positions) states = new Set(isAnd ? [...states].filter((x) => p.states.has(x)) : [...states, ...p.states]);
      for (const [k, v] of values.entries()) {
        const c = v.k === 'position' ? v.c : this.toCondition(v, e.parts[k]!);
        if (c === false) return { k: 'bool', v: false };
        if (c !== true) conds.push(c);
      }
      return { k: 'position', states, c: conds.length === 0 ? true : allOf(conds), what: this.q(e) };
    }
    for (const [k, pv] of values.entries()) {
      const v = this.toCondition(pv, e.parts[k]!);
      if (typeof v === 'boolean') {
        if (v !== isAnd) return { k: 'bool', v }; // false in an and, true in an or: decided
        continue;
      }
      conds.push(v);
    }
    if (conds.length === 0) return { k: 'bool', v: isAnd };
    return { k: 'cond', c: isAnd ? allOf(conds) : anyOf(conds) };
  }

  /** A value used as a condition: a comparison tree, or a constant. */
  toCondition(v: Value, e: Expr): CondIR | boolean {
    if (v.k === 'bool') return v.v;
    if (v.k === 'cond') return v.c;
    if (v.k === 'isna') {
      this.fail(e.line, this.q(e), 'na(x) is true only while x is undefined (warm-up), and a spec condition that reads an undefined value is false', 'Use not na(x) as a guard, or drop the test: spec conditions are false until their indicators are defined.');
    }
    if (v.k === 'position') {
      this.fail(e.line, this.q(e), '`strategy.position_size` may appear only in an if guard around strategy.entry/close/exit (spec rules read market data; the engine tracks the position)', 'Put the position test in the if that encloses the order.');
    }
    return this.fail(e.line, this.q(e), `it is ${describe(v)}, used as a condition`, 'Write an explicit comparison, e.g. x > 0.');
  }

  condition(e: Expr, scope: number): CondIR | boolean {
    return this.toCondition(this.eval(e, scope), e);
  }

  /** An if condition: a position guard (states, or null for any) and the market condition. */
  guard(e: Expr, scope: number): { states: PositionStates | null; c: CondIR | boolean } {
    const v = this.eval(e, scope);
    if (v.k === 'position') return { states: v.states, c: v.c };
    return { states: null, c: this.toCondition(v, e) };
  }

  /** A value as a comparison operand. */
  operand(v: Value, e: Expr): OperandIR {
    switch (v.k) {
      case 'num': return { k: 'num', v: v.v };
      case 'param': return { k: 'param', name: v.name, neg: v.neg };
      case 'series': return v.o;
      case 'tuple': return this.fail(e.line, this.q(e), `it is ${describe(v)}`, `Destructure it first: [a, b, c] = ${v.what}.`);
      case 'na': return this.fail(e.line, this.q(e), 'na has no spec equivalent (in Pine every comparison with na is false)', 'Remove the comparison with na.');
      case 'isna': case 'position': case 'possize': return this.fail(e.line, this.q(e), `${describe(v)} is not a market value; \`strategy.position_size\` may be compared only with 0 in an if guard around orders, and na(x) only tested as \`not na(x)\``, 'Move it into the if that encloses the order.');
      case 'const': return this.fail(e.line, this.q(e), `${describe(v)} is not a market value`, v.name === 'strategy.position_avg_price' ? 'Use it only in strategy.exit(stop=…, limit=…).' : 'Remove it from the comparison.');
      case 'opaque': return this.fail(e.line, this.q(e), v.why, 'Use a price field (open high low close volume), an indicator, a number or a numeric input.');
      default: return this.fail(e.line, this.q(e), `it is ${describe(v)}, used as a number`, 'Compare numbers, prices or indicators.');
    }
  }
}

export function renderOperand(o: OperandIR): string {
  const lag = (s: string, k: number): string => (k === 0 ? s : `${s}[${k}]`);
  switch (o.k) {
    case 'num': return String(o.v);
    case 'param': return `${o.neg ? '-' : ''}${o.name}`;
    case 'field': return lag(o.field, o.lag);
    case 'ind': return lag(`${o.req.fn}${o.output === null ? '' : `.${o.output}`}`, o.lag);
  }
}
