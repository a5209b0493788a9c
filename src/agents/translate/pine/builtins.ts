import type { IndicatorFn, NumOrParam, PriceField } from '../../../core/spec/schema.ts';
import type { IndicatorRequest } from '../condition-ir.ts';
import { argumentProblem, FN_SHAPES } from '../indicator-table.ts';
import type { Expr } from './ast.ts';
import { bindArgs } from './args.ts';
import type { PineEvaluator } from './evaluate.ts';
import { describe, type Value } from './values.ts';

type Call = Expr & { t: 'call' };

/** Statement-level calls that only draw or alert: ignored, because they place no orders. */
export function isCosmetic(callee: string): boolean {
  return /^(plot|plotshape|plotchar|plotarrow|plotcandle|plotbar|bgcolor|barcolor|fill|hline|alertcondition|alert)$/.test(callee)
    || /^(label|line|box|table|linefill|polyline|log|color)\./.test(callee);
}

/** The ta.* functions of the subset, by their v5 name without `ta.` (v4 names are the same, bare). */
const TA_NAMES = ['sma', 'ema', 'wma', 'rsi', 'roc', 'highest', 'lowest', 'bb', 'macd', 'atr', 'stoch', 'cci', 'mfi', 'wpr', 'dmi', 'kc',
  'crossover', 'crossunder', 'cross', 'mom', 'change'] as const;
type TaName = typeof TA_NAMES[number];
const TA_SET = new Set<string>(TA_NAMES);

/** A length or factor: a literal number or a param, valid for the spec fn's argument `key`. */
function numberArg(ev: PineEvaluator, fn: IndicatorFn, key: string, e: Expr, scope: number): NumOrParam {
  const v = ev.eval(e, scope);
  let arg: NumOrParam;
  if (v.k === 'num') arg = v.v;
  else if (v.k === 'param' && !v.neg) arg = `$${v.name}`;
  else return ev.fail(e.line, `the argument ${ev.q(e)}`, `it is ${describe(v)}; spec indicator arguments are numbers or numeric inputs`, 'Use a number or an input.int / input.float variable.');
  const params = new Map([...ev.params].map(([k, d]) => [k, d.param]));
  const problem = argumentProblem(fn, key, arg, params);
  if (problem !== null) ev.fail(e.line, `the argument ${ev.q(e)}`, problem, 'Use a valid length (inputs: set minval ≥ 1 on int inputs).');
  return arg;
}

/** An indicator's source: a price field as it is now (a lagged source is written as a lagged indicator). */
function sourceArg(ev: PineEvaluator, fnLabel: string, e: Expr, scope: number): PriceField {
  const v = ev.eval(e, scope);
  if (v.k === 'series' && v.o.k === 'field' && v.o.lag === 0) return v.o.field;
  if (v.k === 'series' && v.o.k === 'field') {
    return ev.fail(e.line, `the source ${ev.q(e)} of ${fnLabel}`, 'a spec indicator reads a price field as it is now', `Lag the indicator instead: ${fnLabel}(${v.o.field}, n)[${v.o.lag}].`);
  }
  if (v.k === 'series') {
    return ev.fail(e.line, `${fnLabel} of ${ev.q(e)}`, 'an indicator of an indicator has no spec equivalent (only %D = ta.sma(%K, n) of ta.stoch is supported)', 'Use a price field (open high low close volume) as the source.');
  }
  return ev.fail(e.line, `the source ${ev.q(e)} of ${fnLabel}`, v.k === 'opaque' ? v.why : `it is ${describe(v)}`, 'Use a price field (open high low close volume) as the source.');
}

const series = (req: IndicatorRequest, output: string | null): Value => ({ k: 'series', o: { k: 'ind', req, output, lag: 0 } });
const tuple = (what: string, req: IndicatorRequest, outputs: readonly string[]): Value => ({ k: 'tuple', what, items: outputs.map((o) => series(req, o)) });

/** cci and mfi read the typical price in the spec; Pine takes any source. hlc3 is exact; another source is translated with a warning. */
function typicalSource(ev: PineEvaluator, call: Call, fnLabel: string, e: Expr, scope: number, specFn: string): void {
  if (e.t === 'name' && e.name === 'hlc3' && !ev.bindings.has('hlc3')) return;
  const field = sourceArg(ev, fnLabel, e, scope);
  ev.warn(`line ${call.line}: ${ev.q(call)} reads ${field}, but the spec's ${specFn} always reads the typical price (high + low + close)/3, so its values differ from Pine's; write ${fnLabel}(hlc3, …) in Pine for an exact match`);
}

function ta(ev: PineEvaluator, name: TaName, e: Call, scope: number): Value {
  const label = e.callee;
  switch (name) {
    case 'sma': case 'ema': case 'wma': case 'rsi': case 'roc': {
      const a = bindArgs(ev, e, ['source', 'length'], 2);
      if (name === 'sma') {
        const src = ev.eval(a.get('source')!, scope);
        // %D = ta.sma(%K, n): the one indicator-of-an-indicator the spec has, as stoch's signal.
        if (src.k === 'series' && src.o.k === 'ind' && src.o.req.fn === 'stoch' && src.o.output === 'k' && src.o.lag === 0 && src.o.req.signal === null) {
          const signal = numberArg(ev, 'stoch', 'signal', a.get('length')!, scope);
          return series({ fn: 'stoch', period: src.o.req.period, signal }, 'd');
        }
      }
      const source = sourceArg(ev, label, a.get('source')!, scope);
      return series({ fn: name, source, period: numberArg(ev, name, 'period', a.get('length')!, scope) }, null);
    }
    case 'highest': case 'lowest': {
      // ta.highest(length) reads high (lowest: low); ta.highest(source, length) names it.
      const lengthOnly = e.args.length === 1 && !e.named.some((n) => n.name === 'source');
      const a = lengthOnly ? bindArgs(ev, e, ['length'], 1) : bindArgs(ev, e, ['source', 'length'], 2);
      const source = lengthOnly ? FN_SHAPES[name].source! : sourceArg(ev, label, a.get('source')!, scope);
      return series({ fn: name, source, period: numberArg(ev, name, 'period', a.get('length')!, scope) }, null);
    }
    case 'bb': {
      const a = bindArgs(ev, e, ['series', 'length', 'mult'], 3);
      const req: IndicatorRequest = { fn: 'bbands', source: sourceArg(ev, label, a.get('series')!, scope),
        period: numberArg(ev, 'bbands', 'period', a.get('length')!, scope), stddev: numberArg(ev, 'bbands', 'stddev', a.get('mult')!, scope) };
      return tuple(label, req, ['middle', 'upper', 'lower']);
    }
    case 'macd': {
      const a = bindArgs(ev, e, ['source', 'fastlen', 'slowlen', 'siglen'], 4);
      const req: IndicatorRequest = { fn: 'macd', source: sourceArg(ev, label, a.get('source')!, scope),
        fast: numberArg(ev, 'macd', 'fast', a.get('fastlen')!, scope), slow: numberArg(ev, 'macd', 'slow', a.get('slowlen')!, scope),
        signal: numberArg(ev, 'macd', 'signal', a.get('siglen')!, scope) };
      return tuple(label, req, ['macd', 'signal', 'histogram']);
    }
    case 'atr': case 'wpr': {
      const a = bindArgs(ev, e, ['length'], 1);
      const fn = name === 'atr' ? 'atr' : 'williamsr';
      return series({ fn, period: numberArg(ev, fn, 'period', a.get('length')!, scope) }, null);
    }
    case 'stoch': {
      const a = bindArgs(ev, e, ['source', 'high', 'low', 'length'], 4);
      const fields = (['source', 'high', 'low'] as const).map((k) => sourceArg(ev, label, a.get(k)!, scope));
      if (fields.join() !== 'close,high,low') {
        ev.fail(e.line, ev.q(e), `the spec's stoch reads close, high and low; this call reads ${fields.join(', ')}`, `Write ${label}(close, high, low, n).`);
      }
      return series({ fn: 'stoch', period: numberArg(ev, 'stoch', 'period', a.get('length')!, scope), signal: null }, 'k');
    }
    case 'cci': {
      const a = bindArgs(ev, e, ['source', 'length'], 2);
      typicalSource(ev, e, label, a.get('source')!, scope, 'cci');
      return series({ fn: 'cci', period: numberArg(ev, 'cci', 'period', a.get('length')!, scope) }, null);
    }
    case 'mfi': {
      const a = bindArgs(ev, e, ['series', 'length'], 2);
      typicalSource(ev, e, label, a.get('series')!, scope, 'mfi');
      return series({ fn: 'mfi', period: numberArg(ev, 'mfi', 'period', a.get('length')!, scope) }, null);
    }
    case 'dmi': {
      const a = bindArgs(ev, e, ['diLength', 'adxSmoothing'], 2);
      const di = numberArg(ev, 'adx', 'period', a.get('diLength')!, scope);
      const smoothing = numberArg(ev, 'adx', 'period', a.get('adxSmoothing')!, scope);
      if (di !== smoothing) {
        ev.fail(e.line, ev.q(e), `the spec's adx has one period, but the DI length (${String(di)}) and the ADX smoothing (${String(smoothing)}) differ`, `Use the same length twice, e.g. ${label}(len, len).`);
      }
      return tuple(label, { fn: 'adx', period: di }, ['pdi', 'mdi', 'adx']);
    }
    case 'kc': {
      const a = bindArgs(ev, e, ['series', 'length', 'mult', 'useTrueRange'], 3);
      const tr = a.get('useTrueRange');
      if (tr !== undefined) {
        const v = ev.eval(tr, scope);
        if (!(v.k === 'bool' && v.v)) ev.fail(e.line, ev.q(e), 'the spec\'s keltner bands use the true range (ATR); useTrueRange=false uses high − low', 'Drop useTrueRange.');
      }
      const req: IndicatorRequest = { fn: 'keltner', source: sourceArg(ev, label, a.get('series')!, scope),
        period: numberArg(ev, 'keltner', 'period', a.get('length')!, scope), multiplier: numberArg(ev, 'keltner', 'multiplier', a.get('mult')!, scope) };
      return tuple(label, req, ['middle', 'upper', 'lower']);
    }
    case 'crossover': case 'crossunder': case 'cross': {
      const a = bindArgs(ev, e, ['source1', 'source2'], 2);
      const x = a.get('source1')!;
      const y = a.get('source2')!;
      const op = name === 'crossover' ? 'crosses_above' : name === 'crossunder' ? 'crosses_below' : 'cross';
      return ev.crossing(e, op, ev.eval(x, scope), ev.eval(y, scope), x, y);
    }
    case 'mom': case 'change': {
      const a = bindArgs(ev, e, ['source', 'length'], name === 'mom' ? 2 : 1);
      const src = ev.eval(a.get('source')!, scope);
      if (src.k !== 'series') ev.fail(e.line, ev.q(e), `its source is ${describe(src)}`, 'Use a price field or an indicator.');
      let n = 1;
      const lenExpr = a.get('length');
      if (lenExpr !== undefined) {
        const len = ev.eval(lenExpr, scope);
        if (len.k === 'param') ev.fail(e.line, ev.q(e), `its length is the input ${len.name}, and the spec can only express it as a lag, which is a fixed integer`, `Use a literal length, e.g. ${label}(close, 10).`);
        if (!(len.k === 'num' && Number.isInteger(len.v) && len.v >= 1)) ev.fail(e.line, ev.q(e), 'its length must be an integer ≥ 1', 'Use a literal length.');
        n = len.v;
      }
      return { k: 'diff', a: src.o, b: { ...src.o, lag: src.o.lag + n }, what: ev.q(e) };
    }
  }
}

const MATH_LIKE = /^(math|str|array|matrix|map|request|ticker|timeframe|syminfo|chart)\./;

export function callBuiltin(ev: PineEvaluator, e: Call, scope: number): Value {
  const callee = e.callee;
  const base = callee.startsWith('ta.') ? callee.slice(3) : callee;
  if ((callee.startsWith('ta.') || !callee.includes('.')) && TA_SET.has(base)) return ta(ev, base as TaName, e, scope);
  if (callee.startsWith('ta.')) {
    return ev.fail(e.line, `\`${callee}\``, 'it has no spec indicator', `The subset's ta functions are ${TA_NAMES.map((n) => `ta.${n}`).join(' ')}; the spec's indicators are listed in docs/spec.md.`);
  }
  if (callee === 'input' || callee.startsWith('input.')) {
    return ev.fail(e.line, ev.q(e), 'an input must be assigned to a variable, whose name becomes the spec param\'s name', `Write len = ${callee}(…) and use len.`);
  }
  if (callee.startsWith('strategy')) return ev.fail(e.line, ev.q(e), `${callee} is a statement, not a value`, 'Call it on its own line.');
  if (isCosmetic(callee)) return { k: 'opaque', what: `the result of ${callee}`, why: `${callee} only draws or alerts` };
  if (callee === 'na' && e.args.length === 1 && e.named.length === 0) {
    // na(x): kept as a test on the series x; only `not na(x)` (x is defined) becomes a condition.
    const v = ev.eval(e.args[0]!, scope);
    if (v.k === 'series') return { k: 'isna', o: v.o, what: ev.q(e) };
    return ev.fail(e.line, ev.q(e), `it tests ${describe(v)}; the subset reads na(x) only of a price field or an indicator`, 'Test the indicator itself: not na(ta.rsi(close, 14)).');
  }
  if (callee === 'nz' || callee === 'na' || callee === 'fixnan') {
    return ev.fail(e.line, ev.q(e), 'the spec has no na: a condition that reads an undefined value is simply false', 'Remove the na handling.');
  }
  if (MATH_LIKE.test(callee)) return ev.fail(e.line, `\`${callee}\``, 'it computes values the spec cannot hold', 'Compare prices and indicators directly.');
  return ev.fail(e.line, `\`${callee}\``, 'it is not a function the subset knows (user-defined functions are outside it)', 'Use the ta.* indicators the subset supports.');
}
