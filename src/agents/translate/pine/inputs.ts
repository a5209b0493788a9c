import { PRICE_FIELDS, type PriceField } from '../../../core/spec/schema.ts';
import { rangeFor } from '../param-ranges.ts';
import { bindArgs } from './args.ts';
import type { Expr } from './ast.ts';
import type { Binding, PineEvaluator } from './evaluate.ts';
import { describe, type Value } from './values.ts';

type Call = Expr & { t: 'call' };

export const INPUT_CALLEES = new Set(['input', 'input.int', 'input.float', 'input.bool', 'input.source', 'input.string', 'input.color',
  'input.timeframe', 'input.symbol', 'input.session', 'input.time', 'input.price', 'input.text_area', 'input.enum']);

const NUMERIC_ARGS = ['defval', 'title', 'minval', 'maxval', 'step', 'tooltip', 'inline', 'group', 'confirm', 'display', 'options'];
const BOOL_ARGS = ['defval', 'title', 'tooltip', 'inline', 'group', 'confirm', 'display'];
const SOURCE_ARGS = ['defval', 'title', 'tooltip', 'inline', 'group', 'display', 'confirm'];
/** v4's generic input(); v5 keeps input(defval, title, …) with the type taken from defval. */
const V4_ARGS = ['defval', 'title', 'type', 'minval', 'maxval', 'confirm', 'step', 'options', 'tooltip', 'inline', 'group'];

type Kind = 'int' | 'float' | 'bool' | 'source' | 'other';

interface ParsedInput {
  readonly kind: Kind;
  readonly args: Map<string, Expr>;
}

function parseInput(ev: PineEvaluator, call: Call): ParsedInput {
  switch (call.callee) {
    case 'input.int': return { kind: 'int', args: bindArgs(ev, call, NUMERIC_ARGS, 1) };
    case 'input.float': return { kind: 'float', args: bindArgs(ev, call, NUMERIC_ARGS, 1) };
    case 'input.bool': return { kind: 'bool', args: bindArgs(ev, call, BOOL_ARGS, 1) };
    case 'input.source': return { kind: 'source', args: bindArgs(ev, call, SOURCE_ARGS, 1) };
    case 'input': break;
    default: return { kind: 'other', args: new Map() };
  }
  const args = bindArgs(ev, call, V4_ARGS, 1);
  const type = args.get('type');
  if (type !== undefined) {
    const t = type.t === 'name' ? type.name : '';
    const kind: Kind = t === 'input.integer' || t === 'integer' ? 'int' : t === 'input.float' || t === 'float' ? 'float'
      : t === 'input.bool' || t === 'bool' ? 'bool' : t === 'input.source' || t === 'source' ? 'source' : 'other';
    return { kind, args };
  }
  const d = args.get('defval')!;
  if (d.t === 'num' || (d.t === 'unary' && d.e.t === 'num')) {
    const text = d.t === 'num' ? d.text : d.e.t === 'num' ? d.e.text : '';
    return { kind: /[.eE]/.test(text) ? 'float' : 'int', args };
  }
  if (d.t === 'name' && (d.name === 'true' || d.name === 'false')) return { kind: 'bool', args };
  if (d.t === 'name' && (PRICE_FIELDS as readonly string[]).includes(d.name)) return { kind: 'source', args };
  return { kind: 'other', args };
}

function numberOf(ev: PineEvaluator, b: Binding, key: string, e: Expr | undefined): number | undefined {
  if (e === undefined) return undefined;
  const v = ev.eval(e, b.index);
  if (v.k !== 'num') ev.fail(e.line, `\`${key}=\` of input \`${b.name}\``, `it is ${describe(v)}, not a number`, 'Use a literal number.');
  return v.v;
}

/** The default of a numeric input, without making it a param (risk levels use it as a fixed number). */
export function inputDefault(ev: PineEvaluator, b: Binding, call: Call): number {
  const p = parseInput(ev, call);
  if (p.kind !== 'int' && p.kind !== 'float') ev.fail(b.line, `input \`${b.name}\``, 'it is not a numeric input', 'Use input.int or input.float.');
  return numberOf(ev, b, 'defval', p.args.get('defval'))!;
}

/**
 * An input declaration, on first use. Numeric inputs become params (with the documented default
 * range when minval/maxval are missing); bool and source inputs are fixed at their default, with a
 * warning, because the spec has no bool or source params; other inputs have no spec meaning.
 */
export function inputValue(ev: PineEvaluator, b: Binding, call: Call): Value {
  const p = parseInput(ev, call);
  const where = `input \`${b.name}\` (line ${b.line})`;
  if (p.kind === 'other') {
    return { k: 'opaque', what: `the input ${b.name}`, why: `${call.callee === 'input' ? 'this input' : call.callee} has no spec equivalent (only int, float, bool and source inputs do)` };
  }
  if (p.args.has('options')) {
    ev.fail(b.line, `\`options=\` of input \`${b.name}\``, 'a list of choices is not a range the optimizer can step through', 'Use minval, maxval and step.');
  }
  const defExpr = p.args.get('defval')!;
  if (p.kind === 'bool') {
    const v = ev.eval(defExpr, b.index);
    if (v.k !== 'bool') ev.fail(b.line, where, `its default is ${describe(v)}`, 'Use true or false.');
    ev.warn(`line ${b.line}: bool input \`${b.name}\` is fixed at its default (${v.v}): the spec has no bool params, so the branch it selects is decided at translation and the optimizer cannot switch it`);
    return v;
  }
  if (p.kind === 'source') {
    const v = ev.eval(defExpr, b.index);
    if (!(v.k === 'series' && v.o.k === 'field' && v.o.lag === 0)) ev.fail(b.line, where, `its default is ${describe(v)}`, 'Use a price field (open high low close volume).');
    ev.warn(`line ${b.line}: source input \`${b.name}\` is fixed at its default (${(v.o as { field: PriceField }).field}): the spec has no source params`);
    return v;
  }
  const value = numberOf(ev, b, 'defval', defExpr)!;
  const range = rangeFor({
    value, integer: p.kind === 'int',
    min: numberOf(ev, b, 'minval', p.args.get('minval')), max: numberOf(ev, b, 'maxval', p.args.get('maxval')), step: numberOf(ev, b, 'step', p.args.get('step')),
  });
  if (!range.ok) return ev.fail(b.line, where, range.problem, 'Fix its default, minval, maxval and step.');
  const { param } = range;
  const notes: string[] = [];
  if (range.defaulted.length > 0) {
    const missing = range.defaulted.map((d) => `${d}val`).join(' and ');
    notes.push(`${where} has no ${missing}: its optimizer range defaults to [${param.min}, ${param.max}] step ${param.step} (the translator's documented default); set minval and maxval to choose it`);
  } else if (p.args.get('step') === undefined && p.kind === 'float') {
    notes.push(`${where} has no step: the optimizer steps it by ${param.step} (the translator's documented default for floats)`);
  }
  if (range.moved.length > 0) {
    notes.push(`${where}: the range is narrowed onto the grid through the default (${range.moved.join(', ')}), because the spec requires the default to lie on min + k·step`);
  }
  ev.params.set(b.name, { param, index: b.index, notes });
  return { k: 'param', name: b.name, neg: false };
}
