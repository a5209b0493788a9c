import type { RuleName, Spec } from '../../../core/spec/schema.ts';
import { allOf, anyOf, type CondIR } from '../condition-ir.ts';
import { bindArgs } from './args.ts';
import type { Expr } from './ast.ts';
import type { CaptureAssign, PineEvaluator } from './evaluate.ts';
import { inputDefault, INPUT_CALLEES } from './inputs.ts';
import { add, compare, div, fromNumber, HUNDRED, isZero, mul, ONE, parseDecimal, sub, toNumber, type Rational } from './rational.ts';
import { dropImpliedDefinedTests } from './defined.ts';
import { describe, type PositionStates } from './values.ts';

type Call = Expr & { t: 'call' };
type Side = 'long' | 'short';
/** A block's guard: the conjunction of the enclosing if conditions, or a constant. */
export type Guard = CondIR | boolean;

export function andGuard(a: Guard, b: Guard): Guard {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return allOf([a, b]);
}

/** `states`: the position states an enclosing `strategy.position_size` guard allows (null: any). */
interface Entry { readonly id: string; readonly side: Side; readonly cond: CondIR; readonly line: number; readonly states: PositionStates | null }
interface Close { readonly id: string; readonly cond: CondIR; readonly line: number; readonly states: PositionStates | null }
/** An exit's level: position_avg_price × f, or position_avg_price + sign × m × a captured ATR (spec v1.1). */
type ExitLevel = { readonly k: 'pct'; readonly f: Rational } | { readonly k: 'atr'; readonly sign: 1 | -1; readonly m: Rational; readonly name: string };
/** A level in the spec's terms: percent from the entry, or k × ATR(n). */
type RiskLevel = { readonly k: 'pct'; readonly p: Rational } | { readonly k: 'atr'; readonly m: Rational; readonly period: number };

interface Exit {
  readonly states: PositionStates | null;
  readonly from: string | null;
  readonly stop: ExitLevel | null;
  readonly limit: ExitLevel | null;
  readonly line: number;
  /** Inputs whose defaults were folded into the levels (the ATR length's are added when the risk is resolved). */
  readonly fixed: string[];
}

/** A stop/limit level: a constant, strategy.position_avg_price × factor, m × a captured ATR, or the price ± that. */
type Level = { readonly k: 'const'; readonly r: Rational } | { readonly k: 'price'; readonly f: Rational }
  | { readonly k: 'atr'; readonly m: Rational; readonly name: string }
  | { readonly k: 'price_atr'; readonly sign: 1 | -1; readonly m: Rational; readonly name: string };

const ENTRY_ARGS = ['id', 'direction', 'qty', 'limit', 'stop', 'oca_name', 'oca_type', 'comment', 'alert_message', 'disable_alert', 'when', 'long'];
const CLOSE_ARGS = ['id', 'comment', 'qty', 'qty_percent', 'alert_message', 'immediately', 'disable_alert', 'when'];
const EXIT_ARGS = ['id', 'from_entry', 'qty', 'qty_percent', 'profit', 'limit', 'loss', 'stop', 'trail_price', 'trail_points', 'trail_offset',
  'oca_name', 'comment', 'comment_profit', 'comment_loss', 'comment_trailing', 'alert_message', 'alert_profit', 'alert_loss', 'alert_trailing',
  'when', 'disable_alert'];
const MAX_LEVEL_DEPTH = 64;

/**
 * Collects strategy.entry / strategy.close / strategy.exit and turns them into the spec's four
 * rules and its risk block. Pine semantics kept: an entry against the open position reverses it
 * (the spec does the same: short_entry while long closes and goes short), several entries on one
 * side are alternatives (`any`), and strategy.close(id) exits the side that id entered.
 */
export class OrderBook {
  private readonly entries: Entry[] = [];
  private readonly closes: Close[] = [];
  private readonly exits: Exit[] = [];

  constructor(private readonly ev: PineEvaluator) {}

  private str(e: Expr | undefined, scope: number, what: string, line: number): string {
    if (e === undefined) return this.ev.fail(line, what, 'it is missing', 'Give the order an id string.');
    const v = this.ev.eval(e, scope);
    if (v.k !== 'str') this.ev.fail(e.line, what, `it is ${describe(v)}, not a string literal`, 'Use a string literal.');
    return v.v;
  }

  /** The condition an order fires on: its if blocks and its `when=`; refused if it fires on every bar. */
  private fires(call: Call, guard: Guard, when: Expr | undefined, scope: number): CondIR | null {
    const g = andGuard(guard, when === undefined ? true : this.ev.condition(when, scope));
    if (g === false) {
      this.ev.warn(`line ${call.line}: ${this.ev.q(call)} can never fire (its condition is constantly false) and is dropped`);
      return null;
    }
    if (g === true) {
      return this.ev.fail(call.line, this.ev.q(call), 'it fires on every bar, and the spec has no always-true rule', 'Put it inside an if block with a condition.');
    }
    return g;
  }

  add(call: Call, scope: number, guard: Guard, nested: boolean, states: PositionStates | null = null): void {
    const ev: PineEvaluator = this.ev;
    if (call.callee === 'strategy.entry') {
      const a = bindArgs(ev, call, ENTRY_ARGS, 1);
      const id = this.str(a.get('id'), scope, 'the entry id', call.line);
      for (const k of ['limit', 'stop']) {
        if (a.has(k)) ev.fail(call.line, `\`${k}=\` of strategy.entry`, 'it makes the entry a pending stop/limit order that fills at a price level inside a later bar, and spec entries are market orders at the next bar\'s open (docs/semantics.md)', 'Enter on the close crossing the level instead: if close > level → strategy.entry(…) without stop=/limit=.');
      }
      for (const k of ['oca_name', 'oca_type']) if (a.has(k)) ev.fail(call.line, `\`${k}=\` of strategy.entry`, 'one-cancels-all groups are outside the spec', 'Remove it.');
      if (a.has('qty')) ev.warn(`line ${call.line}: qty= of strategy.entry is ignored: the spec always trades all equity`);
      const dirExpr = a.get('direction') ?? a.get('long');
      if (dirExpr === undefined) ev.fail(call.line, ev.q(call), 'it has no direction', 'Write strategy.entry("id", strategy.long) or strategy.short.');
      const d = ev.eval(dirExpr, scope);
      const side: Side | null = d.k === 'const' && d.name === 'strategy.long' ? 'long' : d.k === 'const' && d.name === 'strategy.short' ? 'short'
        : d.k === 'bool' ? (d.v ? 'long' : 'short') : null;
      if (side === null) ev.fail(dirExpr.line, `the direction ${ev.q(dirExpr)}`, `it is ${describe(d)}`, 'Use strategy.long or strategy.short.');
      const cond = this.fires(call, guard, a.get('when'), scope);
      if (cond !== null) this.entries.push({ id, side, cond, line: call.line, states });
      return;
    }
    if (call.callee === 'strategy.close') {
      if (call.args.length > 1) ev.fail(call.line, ev.q(call), 'only the id is read by position (Pine v4 and v5 order the others differently)', 'Give the other arguments by name.');
      const a = bindArgs(ev, call, CLOSE_ARGS, 1);
      const id = this.str(a.get('id'), scope, 'the id of strategy.close', call.line);
      const qp = a.get('qty_percent');
      const qpv = qp === undefined ? undefined : ev.eval(qp, scope);
      if (a.has('qty') || (qpv !== undefined && !(qpv.k === 'num' && qpv.v === 100))) {
        ev.fail(call.line, ev.q(call), 'it closes part of the position, and the spec closes whole positions', 'Remove qty / qty_percent.');
      }
      const imm = a.get('immediately');
      if (imm !== undefined) {
        const v = ev.eval(imm, scope);
        if (!(v.k === 'bool' && !v.v)) ev.fail(call.line, '`immediately=true`', 'it fills at the signal bar\'s close, and the spec fills at the next open', 'Remove it.');
      }
      const cond = this.fires(call, guard, a.get('when'), scope);
      if (cond !== null) this.closes.push({ id, cond, line: call.line, states });
      return;
    }
    // strategy.exit
    if (call.args.length > 2) ev.fail(call.line, ev.q(call), 'only id and from_entry are read by position', 'Give stop= and limit= by name.');
    const a = bindArgs(ev, call, EXIT_ARGS, 1);
    // Inside a pure position guard (if strategy.position_size > 0) the exit is armed exactly while
    // that position is open, which is what the spec's always-active stop and target do.
    if ((nested && states === null) || guard !== true || a.has('when')) {
      ev.fail(call.line, ev.q(call), 'a conditional strategy.exit has no spec equivalent: the spec\'s stop and target are always active (and inside an if, Pine computes position_avg_price as na on the entry bar)', 'Call strategy.exit at the top level, without when=.');
    }
    for (const k of ['profit', 'loss']) {
      if (a.has(k)) ev.fail(call.line, `\`${k}=\` of strategy.exit`, `${k}= is in ticks, which depend on the instrument, and the spec's levels are percentages of the entry price`, `Write ${k === 'loss' ? 'stop' : 'limit'}=strategy.position_avg_price * (1 ${(k === 'loss') ? '-' : '+'} X / 100) (mirrored for shorts).`);
    }
    for (const k of ['trail_price', 'trail_points', 'trail_offset']) {
      if (a.has(k)) ev.fail(call.line, `\`${k}=\` of strategy.exit`, 'trailing stops are outside the spec', 'Use a fixed stop from position_avg_price.');
    }
    const qp = a.get('qty_percent');
    const qpv = qp === undefined ? undefined : ev.eval(qp, scope);
    if (a.has('qty') || (qpv !== undefined && !(qpv.k === 'num' && qpv.v === 100))) {
      ev.fail(call.line, ev.q(call), 'it exits part of the position, and the spec exits whole positions', 'Remove qty / qty_percent.');
    }
    if (!a.has('stop') && !a.has('limit')) ev.fail(call.line, ev.q(call), 'it has neither stop= nor limit=', 'Give a stop and/or a limit relative to strategy.position_avg_price.');
    const fromExpr = a.get('from_entry');
    const from = fromExpr === undefined ? null : this.str(fromExpr, scope, 'from_entry', call.line);
    const fixed: string[] = [];
    const factor = (key: 'stop' | 'limit'): ExitLevel | null => {
      const e = a.get(key);
      if (e === undefined) return null;
      const lv = this.level(e, scope, fixed, 0, { root: e, key });
      if (lv.k === 'price') return { k: 'pct', f: lv.f };
      if (lv.k === 'price_atr') return { k: 'atr', sign: lv.sign, m: lv.m, name: lv.name };
      return ev.fail(e.line, `\`${key}=\` ${ev.q(e)}`, lv.k === 'atr' ? 'it is a distance, not a level' : 'it is an absolute price, and spec stops and targets are percentages of the entry price or ATR multiples from it', `Write ${key}=strategy.position_avg_price * (1 ${key === 'stop' ? '-' : '+'} X / 100) (mirrored for shorts).`);
    };
    this.exits.push({ from, stop: factor('stop'), limit: factor('limit'), line: call.line, fixed, states });
  }

  /** Folds a stop/limit expression exactly: numbers, inputs (at their default), + − × ÷ and position_avg_price. */
  private level(e: Expr, scope: number, fixed: string[], depth: number, at: { root: Expr; key: string }): Level {
    const ev: PineEvaluator = this.ev;
    const part = e === at.root ? '' : ` (at ${ev.q(e)})`;
    const bad = (why: string): never => ev.fail(at.root.line, `\`${at.key}=\` ${ev.q(at.root)}`, `${why}${part}`, 'Write strategy.position_avg_price * (1 - X / 100) for a long stop (1 + X / 100 for a target; mirrored for shorts).');
    if (depth > MAX_LEVEL_DEPTH) bad('it nests too deeply');
    switch (e.t) {
      case 'num': {
        const r = parseDecimal(e.text);
        return r === null ? bad('the number is out of range') : { k: 'const', r };
      }
      case 'name': {
        if (e.name === 'strategy.position_avg_price') return { k: 'price', f: ONE };
        if (ev.captures.has(e.name)) return { k: 'atr', m: ONE, name: e.name };
        const b = ev.bindings.get(e.name);
        if (b === undefined || b.index >= scope || b.tupleItem !== null) return bad(`\`${e.name}\` is not a number or numeric input declared above`);
        if (b.expr.t === 'call' && INPUT_CALLEES.has(b.expr.callee)) {
          const v = inputDefault(ev, b, b.expr);
          fixed.push(`input \`${b.name}\` (line ${b.line}) = ${v}`);
          return { k: 'const', r: fromNumber(v) };
        }
        return this.level(b.expr, b.index, fixed, depth + 1, at);
      }
      case 'unary': {
        if (e.op === 'not') return bad('it is a condition');
        const x = this.level(e.e, scope, fixed, depth + 1, at);
        if (e.op === '+') return x;
        return x.k === 'const' ? { k: 'const', r: sub({ n: 0n, d: 1n }, x.r) } : bad('a negated price is not a level');
      }
      case 'binary': {
        const l = this.level(e.l, scope, fixed, depth + 1, at);
        const r = this.level(e.r, scope, fixed, depth + 1, at);
        if (l.k === 'const' && r.k === 'const') {
          switch (e.op) {
            case '+': return { k: 'const', r: add(l.r, r.r) };
            case '-': return { k: 'const', r: sub(l.r, r.r) };
            case '*': return { k: 'const', r: mul(l.r, r.r) };
            case '/': return isZero(r.r) ? bad('it divides by zero') : { k: 'const', r: div(l.r, r.r) };
            default: return bad(`\`${e.op}\` is not arithmetic the level can use`);
          }
        }
        if (e.op === '*' && l.k === 'price' && r.k === 'const') return { k: 'price', f: mul(l.f, r.r) };
        if (e.op === '*' && l.k === 'const' && r.k === 'price') return { k: 'price', f: mul(r.f, l.r) };
        if (e.op === '/' && l.k === 'price' && r.k === 'const' && !isZero(r.r)) return { k: 'price', f: div(l.f, r.r) };
        // ATR captured at the entry (atr-capture.ts): k × ATR, and the entry price ± that.
        if (e.op === '*' && l.k === 'atr' && r.k === 'const') return { k: 'atr', m: mul(l.m, r.r), name: l.name };
        if (e.op === '*' && l.k === 'const' && r.k === 'atr') return { k: 'atr', m: mul(r.m, l.r), name: r.name };
        if (e.op === '/' && l.k === 'atr' && r.k === 'const' && !isZero(r.r)) return { k: 'atr', m: div(l.m, r.r), name: l.name };
        const unit = (x: Level): boolean => x.k === 'price' && compare(x.f, ONE) === 0;
        if ((e.op === '+' || e.op === '-') && unit(l) && r.k === 'atr') return { k: 'price_atr', sign: e.op === '+' ? 1 : -1, m: r.m, name: r.name };
        if (e.op === '+' && l.k === 'atr' && unit(r)) return { k: 'price_atr', sign: 1, m: l.m, name: l.name };
        if (l.k === 'atr' || r.k === 'atr' || l.k === 'price_atr' || r.k === 'price_atr') {
          return bad('an ATR level is strategy.position_avg_price plus or minus a constant times the ATR captured at the entry, and nothing else');
        }
        return bad('only strategy.position_avg_price times a constant is a percentage level (an offset in price units depends on the instrument)');
      }
      default:
        if (e.t === 'call' && /^(ta\.)?atr$/.test(e.callee)) {
          return ev.fail(at.root.line, `\`${at.key}=\` ${ev.q(at.root)}`, `Pine recomputes ${ev.q(e)} on every bar, so this level moves with each bar's ATR while the position is open, and spec v1.1 ATR levels are fixed at the ATR of the entry's signal bar (docs/semantics.md)${part}`,
            `Capture ATR beside the entry: \`atrNow = ${this.ev.src.slice(e.start, e.end)}\` and \`var float atrAtEntry = na\` at the top, \`atrAtEntry := atrNow\` in the if block that calls strategy.entry, then ${at.key}=strategy.position_avg_price ${at.key === 'stop' ? '-' : '+'} k * atrAtEntry (mirrored for shorts).`);
        }
        return bad('a stop or limit level must be strategy.position_avg_price times a constant');
    }
  }

  /** The spec's rules and risk. `headerLine` is where to point when the script has no entry. */
  finish(headerLine: number): { rules: Record<RuleName, CondIR | null>; risk: Spec['risk'] } {
    const ev: PineEvaluator = this.ev;
    if (this.entries.length === 0) ev.fail(headerLine, 'a strategy without entries', 'no strategy.entry can fire', 'Add strategy.entry calls inside if blocks.');
    const sideOf = new Map<string, Side>();
    for (const e of this.entries) {
      const known = sideOf.get(e.id);
      if (known !== undefined && known !== e.side) ev.fail(e.line, `the entry id "${e.id}"`, `it enters ${known} elsewhere and ${e.side} here, so strategy.close("${e.id}") would be ambiguous`, 'Use one id per direction.');
      sideOf.set(e.id, e.side);
    }
    const ids = () => [...sideOf.keys()].map((k) => `"${k}"`).join(', ');
    const rule = (conds: CondIR[]): CondIR | null => (conds.length === 0 ? null : dropImpliedDefinedTests(anyOf(conds)));
    const exitsBySide: Record<Side, CondIR[]> = { long: [], short: [] };
    for (const c of this.closes) {
      const side = sideOf.get(c.id);
      if (side === undefined) ev.fail(c.line, `strategy.close("${c.id}")`, `no strategy.entry has the id "${c.id}" (entry ids: ${ids()})`, 'Close an id that an entry uses.');
      // strategy.close acts only while its side is open: a guard that allows that state is exact, one that excludes it never acts.
      if (c.states !== null && !c.states.has(side)) {
        ev.warn(`line ${c.line}: strategy.close("${c.id}") is inside a position guard that excludes a ${side} position, so it never acts and is dropped`);
        continue;
      }
      exitsBySide[side].push(c.cond);
    }
    const sides = new Set(this.entries.map((e) => e.side));
    const entries = this.entries.filter((e) => {
      if (e.states === null) return true;
      // With one position at a time, an entry acts when flat (opens) or on the opposite side (reverses).
      const opposite: Side = e.side === 'long' ? 'short' : 'long';
      const flat = e.states.has('flat');
      const reverse = e.states.has(opposite);
      if (!flat && !reverse) {
        ev.warn(`line ${e.line}: strategy.entry("${e.id}") is inside a position guard that allows it only while ${e.side}, where an entry does nothing (pyramiding 1), so it is dropped`);
        return false;
      }
      if (flat && !reverse && sides.has(opposite)) {
        ev.fail(e.line, `the position guard around strategy.entry("${e.id}")`, `it keeps the entry from reversing an open ${opposite} position, but spec entries always reverse the opposite position`, `Remove the guard, or close the ${opposite} position with strategy.close first.`);
      }
      if (!flat) ev.fail(e.line, `the position guard around strategy.entry("${e.id}")`, 'it lets the entry reverse an open position but not open one when flat, which spec entries cannot express', 'Remove the guard.');
      return true;
    });
    const rules: Record<RuleName, CondIR | null> = {
      long_entry: rule(entries.filter((e) => e.side === 'long').map((e) => e.cond)),
      long_exit: rule(exitsBySide.long),
      short_entry: rule(entries.filter((e) => e.side === 'short').map((e) => e.cond)),
      short_exit: rule(exitsBySide.short),
    };
    return { rules, risk: this.risk(sideOf, ids) };
  }

  /**
   * The spec has one stop and one target for every position, so every entry id must get the same
   * levels (a stop for longs only would silently stop shorts too: refused). A level is a percentage
   * of the entry price or (spec v1.1) a multiple of ATR captured at the entry (atr-capture.ts).
   */
  private risk(sideOf: ReadonlyMap<string, Side>, ids: () => string): Spec['risk'] {
    const ev: PineEvaluator = this.ev;
    const exits = this.exits.filter((x) => {
      if (x.states === null) return true;
      const side = x.from === null ? null : sideOf.get(x.from);
      const acting = side === undefined || side === null ? [...new Set(sideOf.values())] : [side];
      if (acting.some((s) => x.states!.has(s))) return true;
      ev.warn(`line ${x.line}: strategy.exit is inside a position guard that excludes the position it exits, so it never acts and is dropped`);
      return false;
    });
    if (exits.length === 0) return { stop_loss_pct: null, take_profit_pct: null };
    const levels = new Map<string, { stop: RiskLevel | null; target: RiskLevel | null; line: number }>();
    const sides = new Set(sideOf.values());
    for (const x of exits) {
      let targets: string[];
      if (x.from !== null) {
        if (!sideOf.has(x.from)) ev.fail(x.line, `from_entry="${x.from}"`, `no strategy.entry has that id (entry ids: ${ids()})`, 'Use an entry id.');
        targets = [x.from];
      } else {
        if (sides.size > 1) ev.fail(x.line, 'strategy.exit without from_entry', 'it applies to long and short entries alike, and the same price factor means a stop for one side and a target for the other', 'Give one strategy.exit per entry id with from_entry.');
        targets = [...sideOf.keys()];
      }
      const side = sideOf.get(targets[0]!)!;
      const whose = x.from === null ? 'strategy.exit' : `the exit from "${x.from}"`;
      const pct = (f: Rational, kind: 'stop' | 'limit'): RiskLevel => {
        // Long: stop below the entry, target above; short: the mirror image.
        const below = compare(f, ONE) < 0;
        const wantBelow = (kind === 'stop') === (side === 'long');
        if (compare(f, ONE) === 0 || below !== wantBelow) {
          ev.fail(x.line, `the ${kind} of ${whose}`, `it sits ${compare(f, ONE) === 0 ? 'at' : below ? 'below' : 'above'} the entry price of a ${side} position, which ${kind === 'stop' ? 'is not a stop loss' : 'is not a profit target'}`, `Use a factor ${wantBelow ? 'below' : 'above'} 1.`);
        }
        const p = mul(below ? sub(ONE, f) : sub(f, ONE), HUNDRED);
        if (compare(p, HUNDRED) > 0) ev.fail(x.line, `the ${kind} level`, `it is ${toNumber(p)} % from the entry, above 100 %`, 'Use a level within 100 % of the entry.');
        return { k: 'pct', p };
      };
      const entries = this.entries.filter((e) => targets.includes(e.id));
      const level = (lv: ExitLevel | null, kind: 'stop' | 'limit'): RiskLevel | null =>
        lv === null ? null : lv.k === 'pct' ? pct(lv.f, kind) : atrLevel(ev, { ...lv, kind, side, exitLine: x.line, whose, entries, allEntries: this.entries, fixed: x.fixed });
      const stop = level(x.stop, 'stop');
      const target = level(x.limit, 'limit');
      for (const id of targets) {
        const prev = levels.get(id);
        if (prev !== undefined && (!sameLevel(prev.stop, stop) || !sameLevel(prev.target, target))) {
          ev.fail(x.line, `a second strategy.exit for "${id}"`, `line ${prev.line} already gives "${id}" different levels`, 'Give each entry one strategy.exit.');
        }
        levels.set(id, { stop, target, line: x.line });
      }
      if (x.fixed.length > 0) {
        ev.warn(`line ${x.line}: the stop/target level is fixed at the default of ${x.fixed.join(', ')}: spec risk levels are literal numbers, so the optimizer will not vary them`);
      }
    }
    const all = [...sideOf.keys()];
    const first = levels.get(all[0]!) ?? { stop: null, target: null, line: 0 };
    for (const id of all) {
      const l = levels.get(id) ?? { stop: null, target: null, line: 0 };
      if (!sameLevel(l.stop, first.stop) || !sameLevel(l.target, first.target)) {
        const show = (x: typeof l): string => `stop ${levelText(x.stop)}, target ${levelText(x.target)}`;
        ev.fail(Math.max(l.line, first.line, 1), `the exits of "${all[0]}" and "${id}"`, `the spec has one stop and one target for every position, but "${all[0]}" has ${show(first)} and "${id}" has ${show(l)}`, 'Give every entry the same stop and target (as percentages of the entry price or ATR multiples).');
      }
    }
    const lastLine = exits[exits.length - 1]!.line;
    ev.warn(`line ${lastLine}: Pine arms strategy.exit levels from the bar after the entry fills (position_avg_price is na until then); the spec checks its stop and target from the fill bar on (docs/semantics.md)`);
    const { stop, target } = first;
    return {
      stop_loss_pct: stop?.k === 'pct' ? toNumber(stop.p) : null,
      take_profit_pct: target?.k === 'pct' ? toNumber(target.p) : null,
      ...(stop?.k === 'atr' ? { stop_atr: { mult: toNumber(stop.m), period: stop.period } } : {}),
      ...(target?.k === 'atr' ? { target_atr: { mult: toNumber(target.m), period: target.period } } : {}),
    };
  }
}

function levelText(l: RiskLevel | null): string {
  return l === null ? 'none' : l.k === 'pct' ? `${toNumber(l.p)} %` : `${toNumber(l.m)} × ATR(${l.period})`;
}

function sameLevel(a: RiskLevel | null, b: RiskLevel | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.k === 'pct' && b.k === 'pct') return compare(a.p, b.p) === 0;
  return a.k === 'atr' && b.k === 'atr' && compare(a.m, b.m) === 0 && a.period === b.period;
}

/**
 * An ATR exit level in the spec's terms, refused unless it means exactly what spec v1.1 means:
 * below the entry for a long stop (above for a target; mirrored for shorts), from ATR assigned on
 * the bars of every entry it exits and nowhere else, of one length.
 */
function atrLevel(ev: PineEvaluator, o: {
  sign: 1 | -1; m: Rational; name: string; kind: 'stop' | 'limit'; side: Side; exitLine: number; whose: string;
  entries: readonly Entry[]; allEntries: readonly Entry[]; fixed: string[];
}): RiskLevel {
  const cap = ev.captures.get(o.name)!;
  const want = (o.kind === 'stop') === (o.side === 'long') ? -1 : 1;
  const what = o.kind === 'stop' ? 'is not a stop loss' : 'is not a profit target';
  if (compare(o.m, { n: 0n, d: 1n }) <= 0 || o.sign !== want) {
    const where = compare(o.m, { n: 0n, d: 1n }) === 0 ? 'at' : (o.sign > 0) === (compare(o.m, { n: 0n, d: 1n }) > 0) ? 'above' : 'below';
    ev.fail(o.exitLine, `the ${o.kind} of ${o.whose}`, `it sits ${where} the entry price of a ${o.side} position, which ${what}`, `Write strategy.position_avg_price ${want < 0 ? '-' : '+'} k * ${o.name} with k > 0.`);
  }
  if (compare(o.m, HUNDRED) > 0) ev.fail(o.exitLine, `the ${o.kind} level`, `it is ${toNumber(o.m)} ATRs from the entry, above 100`, 'Use at most 100 ATRs.');
  const tied = new Set<CaptureAssign>();
  for (const e of o.entries) {
    const a = cap.assigns.find((x) => x.guard === e.cond);
    if (a === undefined) {
      ev.fail(o.exitLine, `\`${o.name}\` in ${o.whose}`, `it is not assigned on the bars strategy.entry("${e.id}") on line ${e.line} is called, so the level would use the ATR of another bar`, `Assign ${o.name} := ta.atr(n) in the same if block as strategy.entry("${e.id}", …), with no when=.`);
    }
    tied.add(a);
  }
  // An assignment on bars where no entry is called would move the level of an open position.
  const stray = cap.assigns.find((a) => !o.allEntries.some((e) => e.cond === a.guard));
  if (stray !== undefined) {
    ev.fail(stray.line, `\`${o.name} :=\``, 'it is not in an if block that calls strategy.entry, so it would change the level while a position is open, and spec v1.1 fixes the ATR at the entry', `Assign ${o.name} only in the if blocks that call strategy.entry.`);
  }
  const periods = new Set<number>();
  for (const a of tied) {
    let p: number;
    if (typeof a.period === 'number') p = a.period;
    else {
      const name = a.period.replace(/^-?\$/, '');
      const d = ev.params.get(name)!;
      p = d.param.value;
      const note = `input \`${name}\` (line ${ev.bindings.get(name)?.line ?? a.line}, the ATR length) = ${p}`;
      if (!o.fixed.includes(note)) o.fixed.push(note);
    }
    periods.add(p);
  }
  if (periods.size > 1) ev.fail(o.exitLine, `\`${o.name}\` in ${o.whose}`, `it holds ATR of different lengths (${[...periods].join(', ')}) depending on the entry`, 'Capture one ATR length.');
  const period = [...periods][0]!;
  const assigned = [...tied].map((a) => a.line).join(', ');
  ev.warn(`line ${o.exitLine}: the ${o.kind === 'stop' ? 'stop' : 'target'} is ${toNumber(o.m)} × ATR(${period}) from the entry price, ATR taken on the entry's signal bar (\`${o.name}\`, assigned on line ${assigned}): spec v1.1 risk.${o.kind === 'stop' ? 'stop_atr' : 'target_atr'}, fixed for the trade (docs/semantics.md); while ATR(${period}) is undefined (the first ${period} bars) the spec does not enter, where Pine enters without this level`);
  for (const e of o.entries) {
    if (e.states === null || e.states.has(e.side)) {
      const a = cap.assigns.find((x) => x.guard === e.cond)!;
      ev.warn(`line ${a.line}: Pine assigns \`${o.name}\` again whenever strategy.entry("${e.id}")'s condition holds while the ${e.side} position is open (the entry is then ignored, the assignment is not), which moves the level; the spec keeps the ATR of the signal bar of the entry that opened the position. Guard the block with strategy.position_size ${e.side === 'long' ? '<=' : '>='} 0 to make the two agree`);
    }
  }
  return { k: 'atr', m: o.m, period };
}
