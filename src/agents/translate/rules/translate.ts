import { INDICATOR_OUTPUTS, type Indicator, type NumOrParam, type Param, type Spec } from '../../../core/spec/schema.ts';
import { assemble, slugify } from '../assemble.ts';
import { allOf, anyOf, cmp, ConditionTooDeep, notOf, type CondIR, type IndicatorRequest, type OperandIR } from '../condition-ir.ts';
import { argumentProblem, FN_SHAPES } from '../indicator-table.ts';
import { rangeFor } from '../param-ranges.ts';
import { TranslationRefused, type RefusalSite } from '../refused.ts';
import { suggestRewrite } from './suggest.ts';
import { parseStatement, type ArgAst, type CondAst, type OperandAst, type StatementAst, type Verb } from './parse.ts';
import { rulesError, splitStatements, type Statement } from './statements.ts';

export interface RulesOptions {
  readonly source: string;
  readonly name?: string | undefined;
  readonly market_type?: Spec['meta']['market_type'] | undefined;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RULE_OF: Record<Exclude<Verb, 'exit'>, keyof Spec['rules']> = { buy: 'long_entry', sell: 'long_exit', short: 'short_entry', cover: 'short_exit' };
const STYLE_WORD: Record<Spec['meta']['style'], string> = { mean_reversion: 'reversion', trend_following: 'trend', breakout: 'breakout', momentum: 'momentum', other: 'rules' };

/** A spec name that says what the idea is: its first indicator, its style, then the others (`rsi2-reversion-sma200`). */
export function nameFromLogic(spec: Pick<Spec, 'indicators' | 'meta'>): string {
  const ids = Object.keys(spec.indicators).map((id) => id.replace(/_/g, '-'));
  const word = STYLE_WORD[spec.meta.style];
  return slugify(ids.length === 0 ? `price-${word}` : [ids[0], word, ...ids.slice(1, 3)].join('-'));
}

/**
 * The plain rule language (docs/rules.md) → spec v1. Statements are parsed first, then params are
 * collected (a param may be declared after its use), then conditions are built. Literal indicator
 * lengths stay literals, as in the Pine path: only declared params (`param …`, Pine inputs) are
 * optimisable, which keeps the optimizer's search explicit and the complexity gate's param count honest.
 */
export function translateRules(text: string, opts: RulesOptions): { spec: Spec; warnings: string[] } {
  try {
    return translateRulesStrict(text, opts);
  } catch (e) {
    if (!(e instanceof TranslationRefused)) throw e;
    throw withAdvice(e, text, opts);
  }
}

/** Said after every refusal of the rule language: free text is a model's job. */
export const MODEL_HINT = 'Plain English needs a model: start a local one (docs/local-models.md) and add --ollama URL, which translates free text; without a model, write the rule language (docs/rules.md).';

/** The refusal, plus one rewrite that does translate (when one can be derived) and the model hint. */
function withAdvice(e: TranslationRefused, text: string, opts: RulesOptions): TranslationRefused {
  let rewrite = suggestRewrite(text);
  if (rewrite !== null) {
    try {
      translateRulesStrict(rewrite, opts);
    } catch {
      rewrite = null;
    }
  }
  const advice = `${rewrite === null ? '' : `\nDid you mean: ${rewrite}`}\n${MODEL_HINT}`;
  return new TranslationRefused(`${e.message}${advice}`, e.source, e.sites as [RefusalSite, ...RefusalSite[]]);
}

function translateRulesStrict(text: string, opts: RulesOptions): { spec: Spec; warnings: string[] } {
  const { source } = opts;
  const statements = splitStatements(text);
  const multiLine = text.trim().includes('\n');
  const failAt = (st: Statement) => (col: number, construct: string, message: string): TranslationRefused =>
    rulesError(source, st, col, construct, message, multiLine);
  if (statements.length === 0) {
    throw rulesError(source, { n: 1, text: '', line: 1, col: 1 }, 1, '(empty)', 'no statements: write at least one entry, e.g. "buy when rsi(14) < 30"', false);
  }
  const warnings: string[] = [];
  const notes: string[] = [];
  const parsed: StatementAst[] = statements.map((st) => parseStatement(st, failAt(st), notes));
  // The same reading in several statements is said once: `statements 1, 2: "rsi" … is read as rsi(14)`.
  const byText = new Map<string, number[]>();
  for (const n of notes) {
    const m = /^statement (\d+): (.*)$/s.exec(n)!;
    const list = byText.get(m[2]!) ?? [];
    if (!list.includes(Number(m[1]))) list.push(Number(m[1]));
    byText.set(m[2]!, list);
  }
  for (const [text, ns] of byText) warnings.push(`statement${ns.length > 1 ? 's' : ''} ${ns.join(', ')}: ${text}`);

  const params = new Map<string, Param>();
  const once = new Map<string, StatementAst>();
  for (const a of parsed) {
    const fail = failAt(a.st);
    if (a.s === 'param') {
      if (!PARAM_NAME.test(a.name)) throw fail(a.col, a.name, `"${a.name}" is not a param name (letters, digits and _, not starting with a digit)`);
      if (params.has(a.name)) throw fail(a.col, a.name, `param ${a.name} is declared twice`);
      const integer = [a.value, a.min, a.max, ...(a.step === undefined ? [] : [a.step])].every(Number.isInteger);
      const r = rangeFor({ value: a.value, min: a.min, max: a.max, step: a.step, integer });
      if (!r.ok) throw fail(a.col, a.name, `param ${a.name}: ${r.problem.replace(/minval/g, 'min').replace(/maxval/g, 'max')}`);
      if (r.moved.length > 0) {
        warnings.push(`statement ${a.st.n}: param ${a.name}'s range is narrowed onto the grid through its value (${r.moved.join(', ').replace(/minval/g, 'min').replace(/maxval/g, 'max')}), because the spec requires the value to lie on min + k·step`);
      }
      params.set(a.name, r.param);
    } else if (a.s !== 'rule') {
      const key = a.s === 'name' ? 'name' : a.s === 'meta' ? a.field : a.what;
      const prev = once.get(key);
      if (prev !== undefined) throw fail(1, key, `"${key}" is already given in statement ${prev.st.n}`);
      once.set(key, a);
    }
  }

  const usedParams = new Set<string>();
  const conds: Record<keyof Spec['rules'], CondIR[]> = { long_entry: [], long_exit: [], short_entry: [], short_exit: [] };
  for (const a of parsed) {
    if (a.s !== 'rule') continue;
    const fail = failAt(a.st);
    const param = (name: string, col: number, neg: boolean): OperandIR => {
      if (!params.has(name)) {
        throw fail(col, `$${name}`, `$${name} is not declared; add a statement "param ${name} = VALUE in [MIN, MAX]"${params.size > 0 ? ` (declared: ${[...params.keys()].map((p) => `$${p}`).join(' ')})` : ''}`);
      }
      usedParams.add(name);
      return { k: 'param', name, neg };
    };
    const argument = (fn: Indicator['fn'], key: string, x: ArgAst): NumOrParam => {
      const v: NumOrParam = x.t === 'num' ? x.v : `$${(x as { name: string }).name}`;
      if (x.t === 'param') param(x.name, x.col, false);
      const problem = argumentProblem(fn, key, v, params);
      if (problem !== null) throw fail(x.col, String(v), problem);
      return v;
    };
    const operand = (o: OperandAst): OperandIR => {
      switch (o.t) {
        case 'num': return { k: 'num', v: o.v };
        case 'param': return param(o.name, o.col, o.neg);
        case 'field': return { k: 'field', field: o.field, lag: o.lag };
        case 'call': {
          const shape = FN_SHAPES[o.fn];
          const hasSource = shape.source !== null && o.args[0]?.t === 'field';
          const given = hasSource ? o.args.slice(1) : o.args;
          const def: Record<string, unknown> = { fn: o.fn };
          if (shape.source !== null) def.source = hasSource ? (o.args[0] as { field: string }).field : shape.source;
          shape.args.forEach((key, k) => { def[key] = argument(o.fn, key, given[k]!); });
          const output = INDICATOR_OUTPUTS[o.fn] === null ? null : o.output;
          return { k: 'ind', req: def as unknown as IndicatorRequest, output, lag: o.lag };
        }
      }
    };
    const condition = (c: CondAst): CondIR => {
      switch (c.t) {
        case 'cmp': return cmp(operand(c.l), c.op, operand(c.r));
        case 'not': return notOf(condition(c.c));
        case 'all': return allOf(c.parts.map(condition));
        case 'any': return anyOf(c.parts.map(condition));
      }
    };
    try {
      const c = condition(a.cond);
      if (a.verb === 'exit') {
        // Leaves whichever position is open: the long one if the idea buys, the short one if it goes short.
        if (parsed.some((b) => b.s === 'rule' && b.verb === 'buy')) conds.long_exit.push(c);
        if (parsed.some((b) => b.s === 'rule' && b.verb === 'short')) conds.short_exit.push(c);
      } else {
        conds[RULE_OF[a.verb]].push(c);
      }
    } catch (err) {
      if (err instanceof ConditionTooDeep) throw fail(1, a.verb, `the condition is nested deeper than the spec allows (${err.message}); simplify it`);
      throw err;
    }
  }

  const firstOf = (verb: Verb) => parsed.find((a) => a.s === 'rule' && a.verb === verb);
  if (conds.long_entry.length === 0 && conds.short_entry.length === 0) {
    throw failAt(parsed[0]!.st)(1, '(no entry)', 'no entry rule: write at least one "buy when …" or "short when …" statement');
  }
  for (const [exit, entry] of [['sell', 'buy'], ['cover', 'short']] as const) {
    const st = firstOf(exit);
    if (st !== undefined && firstOf(entry) === undefined) {
      throw failAt(st.st)(1, exit, `"${exit}" exits a ${entry === 'buy' ? 'long' : 'short'} position, but no "${entry} when …" statement opens one`);
    }
  }
  for (const name of params.keys()) {
    if (!usedParams.has(name)) warnings.push(`param ${name} is declared but not used, so it is left out of the spec`);
  }

  let rules: Record<keyof Spec['rules'], CondIR | null>;
  try {
    rules = {
      long_entry: conds.long_entry.length === 0 ? null : anyOf(conds.long_entry),
      long_exit: conds.long_exit.length === 0 ? null : anyOf(conds.long_exit),
      short_entry: conds.short_entry.length === 0 ? null : anyOf(conds.short_entry),
      short_exit: conds.short_exit.length === 0 ? null : anyOf(conds.short_exit),
    };
  } catch (err) {
    if (err instanceof ConditionTooDeep) throw failAt(parsed[0]!.st)(1, '(rules)', err.message);
    throw err;
  }
  const get = <S extends StatementAst['s']>(key: string): (StatementAst & { s: S }) | undefined => once.get(key) as (StatementAst & { s: S }) | undefined;
  const nameStmt = get<'name'>('name');
  const stop = get<'risk'>('stop');
  const target = get<'risk'>('target');
  const fees = get<'cost'>('fees');
  const slippage = get<'cost'>('slippage');
  const meta = (field: string): string | undefined => (once.get(field) as (StatementAst & { s: 'meta' }) | undefined)?.value;
  const stated = Object.fromEntries((['holding_period', 'market_type', 'style'] as const).flatMap((f) => (meta(f) === undefined ? [] : [[f, meta(f)]])));
  const result = assemble({
    // Named after the idea below unless a name is given; a placeholder until the indicators have ids.
    name: opts.name ?? (nameStmt !== undefined ? slugify(nameStmt.name) : 'rules-strategy'),
    idea: statements.map((s) => s.text).join('; ').slice(0, 500),
    params,
    rules,
    risk: {
      stop_loss_pct: stop === undefined || stop.atrPeriod !== undefined ? null : stop.value,
      take_profit_pct: target === undefined || target.atrPeriod !== undefined ? null : target.value,
      ...(stop?.atrPeriod === undefined ? {} : { stop_atr: { mult: stop.value, period: stop.atrPeriod } }),
      ...(target?.atrPeriod === undefined ? {} : { target_atr: { mult: target.value, period: target.atrPeriod } }),
    },
    execution: { fees_bps: fees?.value ?? null, slippage_bps: slippage?.value ?? null },
    market_type: opts.market_type,
    stated,
    kind: 'rules',
  }, source);
  const spec = opts.name === undefined && nameStmt === undefined ? { ...result.spec, name: nameFromLogic(result.spec) } : result.spec;
  return { spec, warnings: [...warnings, ...result.warnings] };
}
