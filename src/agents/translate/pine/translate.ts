import type { Param, Spec } from '../../../core/spec/schema.ts';
import { assemble, slugify } from '../assemble.ts';
import { ConditionTooDeep, notOf } from '../condition-ir.ts';
import { pineRefusal, refusePine } from '../refused.ts';
import type { Expr, Stmt } from './ast.ts';
import { isCosmetic } from './builtins.ts';
import { PineEvaluator } from './evaluate.ts';
import { scanHardRefusals } from './hard-refusals.ts';
import { captureShapedLines } from './atr-capture.ts';
import { readAnnotation } from './annotation.ts';
import { readHeader } from './header.ts';
import { andGuard, OrderBook, type Guard } from './orders.ts';
import { parsePine } from './parse.ts';
import { tokenizePine } from './tokenize.ts';
import { describe, type PositionState, type PositionStates } from './values.ts';

const meet = (a: PositionStates | null, b: PositionStates | null): PositionStates | null =>
  a === null ? b : b === null ? a : new Set([...a].filter((x) => b.has(x)));
const complement = (a: PositionStates): PositionStates => new Set((['long', 'short', 'flat'] as PositionState[]).filter((x) => !a.has(x)));

export interface PineOptions {
  readonly source: string;
  readonly name?: string | undefined;
  readonly market_type?: Spec['meta']['market_type'] | undefined;
}

const VERSION = /^[ \t]*\/\/[ \t]*@version[ \t]*=[ \t]*(\d+)/m;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Pine Script v5 (and v4 where the difference is only names) → spec v1. Pipeline: version check,
 * tokens, a scan for constructs refused anywhere, statements, then orders — whose conditions pull
 * in, lazily, only the declarations they read — and finally the shared assembly and validation.
 */
export function translatePine(text: string, opts: PineOptions): { spec: Spec; warnings: string[] } {
  const { source } = opts;
  const early: string[] = [];
  const m = VERSION.exec(text);
  if (m === null) {
    early.push('the script has no //@version line: it is read as Pine v5');
  } else {
    const version = Number(m[1]);
    const line = lineOf(text, m.index);
    if (version < 4 || version > 6) refusePine(source, line, `\`//@version=${m[1]}\``, 'the subset covers Pine v4 and v5 (and v6 read as v5)', 'Convert the script to Pine v5 (TradingView\'s editor does this).');
    if (version === 6) early.push(`line ${line}: Pine v6 is read as v5: v6 evaluates and/or lazily, so a ta.* call on the right of and/or may see different history in Pine than in the spec (which evaluates every indicator on every bar)`);
  }
  const lines = tokenizePine(text, source);
  const hard = scanHardRefusals(lines, captureShapedLines(lines));
  if (hard.length > 0) throw pineRefusal(source, hard as [typeof hard[0], ...typeof hard]);
  const stmts = parsePine(lines, source);
  const first = stmts[0];
  if (first === undefined) refusePine(source, 1, 'an empty script', 'there is no strategy() declaration', 'Translate a Pine strategy script.');

  const ev = new PineEvaluator(text, source);
  for (const w of early) ev.warn(w);
  const headerCall = first.s === 'expr' && first.expr.t === 'call' ? first.expr : null;
  const declaration = headerCall?.callee;
  if (declaration === 'indicator' || declaration === 'study') {
    refusePine(source, first.line, `\`${declaration}()\``, 'an indicator script places no orders', 'Translate a strategy() script with strategy.entry calls.');
  }
  if (headerCall === null || declaration !== 'strategy') {
    refusePine(source, first.line, 'a script without strategy() first', 'the first statement must be the strategy(…) declaration', 'Start the script with strategy("Title", …).');
  }
  const header = readHeader(ev, headerCall);
  const note = readAnnotation(text, source);
  const orders = new OrderBook(ev);
  const cosmetic: number[] = [];

  const visit = (st: Stmt, scope: number, guard: Guard, nested: boolean, states: PositionStates | null): void => {
    if (st.s === 'assign') {
      if (nested) refusePine(source, st.line, `the declaration of \`${st.names.join(', ')}\` inside an if block`, 'values computed only on some bars are outside the subset', 'Declare it at the top level, before the if.');
      ev.declare(st.names, st.tuple, st.expr, scope, st.line);
      return;
    }
    if (st.s === 'var') {
      if (nested) refusePine(source, st.line, `\`var ${st.name}\` inside an if block`, 'a value captured at an entry is declared once, at the top level', 'Declare it at the top level, before the if.');
      const init = ev.eval(st.expr, scope);
      if (init.k !== 'na' && init.k !== 'num') refusePine(source, st.line, `the initial value of \`var ${st.name}\``, `it is ${describe(init)}, and a value captured at an entry is read only once an entry has set it`, `Write var float ${st.name} = na.`);
      ev.declareCapture(st.name, st.line, scope);
      return;
    }
    if (st.s === 'reassign') {
      const cap = ev.captures.get(st.name);
      if (cap === undefined) return refusePine(source, st.line, `\`${st.name} :=\``, `\`${st.name}\` is not declared above this line with var`, `Declare var float ${st.name} = na at the top of the script.`);
      if (!nested) refusePine(source, st.line, `\`${st.name} :=\` at the top level`, 'it assigns on every bar, so a level read from it would follow each bar\'s ATR, and spec v1.1 fixes the ATR at the entry (docs/semantics.md)', `Assign ${st.name} inside the if block that calls strategy.entry.`);
      const atrFix = `Declare atrNow = ta.atr(n) at the top level and write ${st.name} := atrNow here.`;
      if (st.expr.t === 'call') {
        // Pine keeps a function's history per call site: called only on the block's bars, ta.atr averages those bars alone.
        refusePine(source, st.line, `\`${st.name} := ${ev.q(st.expr).slice(1)}`, 'Pine computes a ta.* call inside an if block from the bars where the block runs only, so it is not ATR(n) of the chart, which the spec reads (docs/semantics.md)', atrFix);
      }
      const v = ev.eval(st.expr, scope);
      if (!(v.k === 'series' && v.o.k === 'ind' && v.o.req.fn === 'atr' && v.o.lag === 0)) {
        refusePine(source, st.line, `\`${st.name} := ${ev.q(st.expr).slice(1)}`, `it is ${describe(v)}, and the one value the subset captures at an entry is ATR of that bar (spec v1.1 ATR levels, docs/semantics.md)`, atrFix);
      }
      cap.assigns.push({ line: st.line, guard, states, period: v.o.req.period });
      return;
    }
    if (st.s === 'if') {
      // A position guard (strategy.position_size > 0 …) narrows the states; the rest is a market condition.
      const g = ev.guard(st.cond, scope);
      const c = g.c;
      const body = andGuard(guard, c);
      const bodyStates = meet(states, g.states);
      if (body === false || bodyStates?.size === 0) ev.warn(`line ${st.line}: the if block never runs (its condition is constantly false) and is ignored`);
      else for (const s of st.body) visit(s, scope, body, true, bodyStates);
      if (st.orelse !== null) {
        if (g.states !== null) {
          if (c !== true) refusePine(source, st.line, `the else of ${ev.q(st.cond)}`, 'the else of a position guard joined with a market condition has no spec equivalent', 'Write two if blocks, one per case.');
          const otherStates = meet(states, complement(g.states));
          if (otherStates?.size === 0) ev.warn(`line ${st.line}: the else branch never runs and is ignored`);
          else for (const s of st.orelse) visit(s, scope, guard, true, otherStates);
          return;
        }
        // else ⇔ not COND. In Pine an na condition takes the else branch; in the spec it is undefined
        // (false) — the same warm-up difference every `not` has (docs/semantics.md).
        const other = andGuard(guard, typeof c === 'boolean' ? !c : notOf(c));
        if (other === false) ev.warn(`line ${st.line}: the else branch never runs (the if condition is constantly true) and is ignored`);
        else for (const s of st.orelse) visit(s, scope, other, true, states);
      }
      return;
    }
    const e: Expr = st.expr;
    if (e.t !== 'call') refusePine(source, st.line, ev.q(e), 'a statement must be a declaration, an if block or a call', 'Remove it.');
    if (e.callee === 'strategy.entry' || e.callee === 'strategy.close' || e.callee === 'strategy.exit') { orders.add(e, scope, guard, nested, states); return; }
    if (e.callee === 'strategy' || e.callee === 'indicator' || e.callee === 'study') refusePine(source, st.line, `a second \`${e.callee}()\``, 'a script has one declaration, on its first statement', 'Remove it.');
    if (isCosmetic(e.callee)) { cosmetic.push(st.line); return; }
    refusePine(source, st.line, ev.q(e), 'a call on its own line must be an order (strategy.entry/close/exit) or a plot', 'Remove it.');
  };

  stmts.slice(1).forEach((st, k) => {
    try {
      visit(st, k + 1, true, false, null);
    } catch (err) {
      if (err instanceof ConditionTooDeep) refusePine(source, st.line, 'a condition this deep', err.message, 'Simplify the conditions.');
      throw err;
    }
  });
  if (cosmetic.length > 0) ev.warn(`plots and alerts are ignored (line${cosmetic.length > 1 ? 's' : ''} ${cosmetic.join(', ')}): they place no orders`);

  let finished: ReturnType<OrderBook['finish']>;
  try {
    finished = orders.finish(first.line);
  } catch (err) {
    if (err instanceof ConditionTooDeep) refusePine(source, first.line, 'this many order conditions', err.message, 'Simplify the conditions.');
    throw err;
  }
  const params = new Map<string, Param>([...ev.params].sort((a, b) => a[1].index - b[1].index).map(([k, d]) => [k, d.param]));
  const { spec, warnings } = assemble({
    name: opts.name ?? slugify(header.title),
    idea: header.title,
    params,
    rules: finished.rules,
    risk: finished.risk,
    // The annotation's bps are exact; they win over the header's (a tick or cash figure is null there anyway).
    execution: { fees_bps: note.fees_bps ?? header.fees_bps, slippage_bps: note.slippage_bps ?? header.slippage_bps },
    market_type: opts.market_type,
    stated: note.meta,
    kind: 'pine',
  }, source);
  const paramNotes = [...ev.params].filter(([k]) => spec.params[k] !== undefined).flatMap(([, d]) => d.notes);
  return { spec, warnings: [...ev.warnings, ...paramNotes, ...warnings] };
}
