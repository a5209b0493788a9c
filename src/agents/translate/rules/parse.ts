import { INDICATOR_OUTPUTS, MAX_ATR_PERIOD, PRICE_FIELDS, type IndicatorFn, type Op, type PriceField } from '../../../core/spec/schema.ts';
import { FN_SHAPES } from '../indicator-table.ts';
import type { TranslationRefused } from '../refused.ts';
import { NOT_FUNCTIONS, RULE_FUNCTIONS } from './functions.ts';
import { NEEDS_PERIOD, normalizeTokens } from './normalize.ts';
import type { Statement } from './statements.ts';
import { tokenizeStatement, type RuleTok } from './tokenize.ts';

export type ArgAst =
  | { readonly t: 'num'; readonly v: number; readonly col: number }
  | { readonly t: 'param'; readonly name: string; readonly col: number }
  | { readonly t: 'field'; readonly field: PriceField; readonly col: number };

export type OperandAst = { readonly col: number; readonly text: string } & (
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'param'; readonly name: string; readonly neg: boolean }
  | { readonly t: 'field'; readonly field: PriceField; readonly lag: number }
  | { readonly t: 'call'; readonly fn: IndicatorFn; readonly name: string; readonly args: readonly ArgAst[]; readonly output: string | null; readonly lag: number }
);

export type CondAst =
  | { readonly t: 'cmp'; readonly l: OperandAst; readonly op: Op; readonly r: OperandAst }
  | { readonly t: 'all' | 'any'; readonly parts: readonly CondAst[] }
  | { readonly t: 'not'; readonly c: CondAst };

/** `exit` (also "close when …") leaves whichever position is open: long_exit, and short_exit when the idea goes short. */
export type Verb = 'buy' | 'sell' | 'short' | 'cover' | 'exit';
export type MetaField = 'holding_period' | 'market_type' | 'style';
export type StatementAst = { readonly st: Statement } & (
  | { readonly s: 'rule'; readonly verb: Verb; readonly cond: CondAst }
  | { readonly s: 'risk'; readonly what: 'stop' | 'target'; readonly value: number; readonly col: number; readonly atrPeriod?: number }
  | { readonly s: 'cost'; readonly what: 'fees' | 'slippage'; readonly value: number; readonly col: number }
  | { readonly s: 'name'; readonly name: string }
  | { readonly s: 'meta'; readonly field: MetaField; readonly value: string; readonly col: number }
  | { readonly s: 'param'; readonly name: string; readonly col: number; readonly value: number; readonly min: number; readonly max: number; readonly step: number | undefined }
);

/** Parentheses and `not` nest at most this deep (the parser recurses per level). */
export const MAX_RULE_NESTING = 64;

const OPERATORS = '(< <= > >= crosses above|below)';
const STATEMENT_FORMS = 'buy|sell|short|cover|exit when CONDITION, stop N% or stop N atr(P), target N% or target N atr(P), fees N bps, slippage N bps, holding short|medium|long|intraday, market equities|crypto|futures|forex, style STYLE, name NAME, or param NAME = V in [MIN, MAX] step S';
const META_VALUES: Record<'holding' | 'market' | 'style', { field: MetaField; values: readonly string[] }> = {
  holding: { field: 'holding_period', values: ['short', 'medium', 'long', 'intraday'] },
  market: { field: 'market_type', values: ['equities', 'crypto', 'futures', 'forex'] },
  style: { field: 'style', values: ['mean_reversion', 'trend_following', 'breakout', 'momentum', 'other'] },
};
const ARITHMETIC = new Set(['+', '-', '*', '/']);

type Fail = (col: number, construct: string, message: string) => TranslationRefused;

class StatementParser {
  private pos = 0;
  constructor(private readonly toks: readonly RuleTok[], private readonly st: Statement, private readonly fail: Fail) {}

  private peek(): RuleTok | undefined { return this.toks[this.pos]; }
  private endCol(): number { return this.st.text.length + 1; }
  private colOf(tok: RuleTok | undefined): number { return tok?.col ?? this.endCol(); }
  private isOp(text: string): boolean { const t = this.peek(); return t !== undefined && t.kind === 'op' && t.text === text; }
  private isWord(text: string): boolean { const t = this.peek(); return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === text; }
  private shown(tok: RuleTok | undefined): string { return tok === undefined ? 'the end of the statement' : `"${tok.text}"`; }
  private textBetween(col: number, end: number): string { return this.st.text.slice(col - 1, end - 1); }
  private error(tok: RuleTok | undefined, message: string): never { throw this.fail(this.colOf(tok), tok?.text ?? '(end)', message); }

  expectEnd(after: string): void {
    const t = this.peek();
    if (t !== undefined) this.error(t, `unexpected ${this.shown(t)} after ${after}${after === 'the condition' ? '; join conditions with and / or, or start a new statement with ";"' : ''}`);
  }

  private number(what: string, after: string): { v: number; col: number } {
    const t = this.peek();
    let sign = 1;
    let col = this.colOf(t);
    if (this.isOp('-')) { sign = -1; this.pos++; }
    const n = this.peek();
    if (n === undefined || n.kind !== 'num') this.error(n ?? t, `expected ${what} after "${after}"`);
    this.pos++;
    if (sign === 1) col = n.col;
    return { v: sign * Number(n.text), col };
  }

  /** After `stop|target N`: `atr ( P )` (normalize.ts supplies P = 14 when it is left out). */
  private atrLevel(word: 'stop' | 'target', v: number, col: number): StatementAst {
    this.pos++;
    if (!this.isOp('(')) this.error(this.peek(), `expected "(" and the ATR length after "atr", e.g. "${word} ${v} atr(14)"`);
    this.pos++;
    const p = this.number('the ATR length', '(');
    if (!this.isOp(')')) this.error(this.peek(), 'expected ")" after the ATR length');
    this.pos++;
    this.expectEnd(`"${word} ${v} atr(${p.v})"`);
    if (!(v > 0 && v <= 100)) throw this.fail(col, String(v), `an ATR ${word} must be above 0 and at most 100 ATRs, got ${v}`);
    if (!(Number.isInteger(p.v) && p.v >= 1 && p.v <= MAX_ATR_PERIOD)) throw this.fail(p.col, String(p.v), `the ATR length must be an integer from 1 to ${MAX_ATR_PERIOD}, got ${p.v}`);
    return { st: this.st, s: 'risk', what: word, value: v, col, atrPeriod: p.v };
  }

  // ── statements ──────────────────────────────────────────────────────────
  statement(): StatementAst {
    const first = this.peek()!;
    const word = first.kind === 'word' ? first.text.toLowerCase() : '';
    const st = this.st;
    this.pos++;
    switch (word) {
      case 'holding': case 'market': case 'style': {
        const spec = META_VALUES[word];
        const v = this.peek();
        const value = v?.kind === 'word' ? v.text.toLowerCase() : '';
        // "mean reversion" and "trend following" are two words as people write them.
        const two = this.toks[this.pos + 1]?.kind === 'word' ? `${value}_${this.toks[this.pos + 1]!.text.toLowerCase()}` : '';
        const got = spec.values.includes(two) ? two : spec.values.includes(value) ? value : spec.values.includes(value.replace(/-/g, '_')) ? value.replace(/-/g, '_') : null;
        if (got === null) this.error(v, `expected ${spec.values.join(' | ')} after "${first.text}"`);
        this.pos += got === two ? 2 : 1;
        if (word === 'holding' && this.isWord('term')) this.pos++;
        this.expectEnd(`"${word} ${got}"`);
        return { st, s: 'meta', field: spec.field, value: got, col: v!.col };
      }
      case 'buy': case 'sell': case 'short': case 'cover': case 'exit': {
        if (!this.isWord('when')) this.error(this.peek(), `expected "when" after "${first.text}" (a rule is "${word} when CONDITION")`);
        this.pos++;
        const cond = this.condition(0);
        this.expectEnd('the condition');
        return { st, s: 'rule', verb: word, cond };
      }
      case 'stop': case 'target': {
        const { v, col } = this.number(`a percentage like "5%" or an ATR multiple like "2 atr"`, first.text);
        if (this.isWord('atr')) return this.atrLevel(word, v, col);
        if (!this.isOp('%')) this.error(this.peek(), `expected "%" or "atr" after the number (a ${word} is a percentage of the entry price, "${word} ${v}%", or a multiple of ATR, "${word} ${v} atr(14)")`);
        this.pos++;
        this.expectEnd(`"${word} ${v}%"`);
        if (!(v > 0 && v <= 100)) throw this.fail(col, String(v), `a ${word} must be above 0 % and at most 100 %, got ${v} %`);
        return { st, s: 'risk', what: word, value: v, col };
      }
      case 'fees': case 'slippage': {
        const { v, col } = this.number('a number of basis points like "2 bps"', first.text);
        if (!this.isWord('bps')) this.error(this.peek(), `expected "bps" after the number (${word} are in basis points: 1 bps = 0.01 %)`);
        this.pos++;
        this.expectEnd(`"${word} ${v} bps"`);
        if (!(v >= 0 && v <= 1000)) throw this.fail(col, String(v), `${word} must be between 0 and 1000 bps, got ${v}`);
        return { st, s: 'cost', what: word, value: v, col };
      }
      case 'param': {
        const nameTok = this.peek();
        if (nameTok === undefined || nameTok.kind !== 'word') this.error(nameTok, 'expected a param name after "param" (letters, digits, _)');
        this.pos++;
        if (!this.isOp('=')) this.error(this.peek(), `expected "=" after "param ${nameTok.text}"`);
        this.pos++;
        const value = this.number('a default value', '=').v;
        if (!this.isWord('in')) this.error(this.peek(), `expected "in [MIN, MAX]" after the default value`);
        this.pos++;
        if (!this.isOp('[')) this.error(this.peek(), 'expected "[" after "in"');
        this.pos++;
        const min = this.number('the minimum', '[').v;
        if (!this.isOp(',')) this.error(this.peek(), 'expected "," between the minimum and the maximum');
        this.pos++;
        const max = this.number('the maximum', ',').v;
        if (!this.isOp(']')) this.error(this.peek(), 'expected "]" after the maximum');
        this.pos++;
        let step: number | undefined;
        if (this.isWord('step')) { this.pos++; step = this.number('a step', 'step').v; }
        this.expectEnd(`the param declaration`);
        return { st, s: 'param', name: nameTok.text, col: nameTok.col, value, min, max, step };
      }
      default:
        return this.error(first, `unknown statement ${this.shown(first)}: expected ${STATEMENT_FORMS}`);
    }
  }

  // ── conditions ─────────────────────────────────────────────────────────
  private condition(depth: number): CondAst {
    const parts = [this.conjunction(depth)];
    while (this.isWord('or')) { this.pos++; parts.push(this.conjunction(depth)); }
    return parts.length === 1 ? parts[0]! : { t: 'any', parts };
  }

  private conjunction(depth: number): CondAst {
    const parts = [this.unary(depth)];
    while (this.isWord('and')) { this.pos++; parts.push(this.unary(depth)); }
    return parts.length === 1 ? parts[0]! : { t: 'all', parts };
  }

  private unary(depth: number): CondAst {
    if (this.isWord('not') || this.isOp('(')) {
      if (depth >= MAX_RULE_NESTING) this.error(this.peek(), `parentheses and "not" nest deeper than ${MAX_RULE_NESTING} levels; simplify the condition`);
      if (this.isWord('not')) { this.pos++; return { t: 'not', c: this.unary(depth + 1) }; }
      const open = this.peek();
      this.pos++;
      const c = this.condition(depth + 1);
      if (!this.isOp(')')) this.error(this.peek(), `expected ")" to close the "(" at column ${this.colOf(open)}`);
      this.pos++;
      return c;
    }
    return this.comparison();
  }

  private comparison(): CondAst {
    const l = this.operand();
    this.noArithmetic(l);
    const t = this.peek();
    let op: Op | null = null;
    if (t !== undefined && t.kind === 'op' && ['<', '<=', '>', '>='].includes(t.text)) { op = t.text as Op; this.pos++; }
    else if (this.isWord('crosses')) {
      this.pos++;
      if (this.isWord('above')) op = 'crosses_above';
      else if (this.isWord('below')) op = 'crosses_below';
      else this.error(this.peek(), 'expected "above" or "below" after "crosses"');
      this.pos++;
    } else if (t !== undefined && (t.text === '=' || t.text === '==' || t.text === '!=')) {
      this.error(t, `"${t.text}" is not an operator of the rule language: use ${OPERATORS}`);
    }
    if (op === null) this.error(t, `expected an operator ${OPERATORS} after "${l.text}"`);
    const r = this.operand();
    this.noArithmetic(r);
    return { t: 'cmp', l, op, r };
  }

  private noArithmetic(o: OperandAst): void {
    const t = this.peek();
    if (t !== undefined && t.kind === 'op' && ARITHMETIC.has(t.text)) {
      this.error(t, `arithmetic ("${o.text} ${t.text} …") is not supported: the spec compares operands directly; compare the two series, or use a band (bb, keltner) for offsets`);
    }
  }

  private operand(): OperandAst {
    const t = this.peek();
    if (t === undefined) return this.error(t, 'expected an operand (a number, $param, a price field or an indicator)');
    if (this.isOp('-')) {
      this.pos++;
      const n = this.peek();
      if (n?.kind === 'num') { this.pos++; return { t: 'num', v: -Number(n.text), col: t.col, text: `-${n.text}` }; }
      if (n?.kind === 'param') { this.pos++; return { t: 'param', name: n.text.slice(1), neg: true, col: t.col, text: `-${n.text}` }; }
      return this.error(t, 'only numbers and $params can be negated');
    }
    this.pos++;
    if (t.kind === 'num') return { t: 'num', v: Number(t.text), col: t.col, text: t.text };
    if (t.kind === 'param') return { t: 'param', name: t.text.slice(1), neg: false, col: t.col, text: t.text };
    if (t.kind !== 'word') return this.error(t, `expected an operand (a number, $param, a price field or an indicator), found ${this.shown(t)}`);
    const word = t.text.toLowerCase();
    if ((PRICE_FIELDS as readonly string[]).includes(word)) {
      if (this.isOp('(') || this.isOp('.')) this.error(this.peek(), `"${t.text}" is a price field: it takes no arguments or outputs`);
      const lag = this.lag();
      return { t: 'field', field: word as PriceField, lag, col: t.col, text: this.textBetween(t.col, this.prevEnd()) };
    }
    const fn = RULE_FUNCTIONS[word];
    if (fn === undefined) {
      const hint = NOT_FUNCTIONS[word];
      if (hint !== undefined) this.error(t, `"${t.text}": ${hint}`);
      return this.error(t, `unknown name "${t.text}": expected a number, $param, a price field (${PRICE_FIELDS.join(' ')}) or an indicator (${Object.keys(RULE_FUNCTIONS).join(' ')})`);
    }
    return this.call(t, word, fn);
  }

  private prevEnd(): number { return this.toks[this.pos - 1]!.end; }

  private call(t: RuleTok, name: string, fn: IndicatorFn): OperandAst {
    const shape = FN_SHAPES[fn];
    const forms = shape.args.length === 0 ? `${name} or ${name}()`
      : `${name}(${shape.args.join(', ')})${shape.source === null ? '' : ` or ${name}(source, ${shape.args.join(', ')})`}`;
    const args: ArgAst[] = [];
    if (this.isOp('(')) {
      this.pos++;
      while (!this.isOp(')')) {
        const a = this.peek();
        if (a === undefined) this.error(a, `expected ")" to close ${name}(`);
        if (args.length > 0) {
          if (!this.isOp(',')) this.error(a, `expected "," or ")" in ${name}(…)`);
          this.pos++;
        }
        args.push(this.argument(name));
      }
      this.pos++;
    } else if (shape.args.length > 0) {
      if (NEEDS_PERIOD.has(name)) this.error(this.peek() ?? t, `${name} needs a period: there is no universal default (write e.g. ${name === 'keltner' || name === 'kc' ? `${name}(20, 2)` : `${name}(50)`}); ${forms}`);
      this.error(this.peek(), `${name} needs arguments: ${forms}`);
    }
    let given = args;
    if (shape.source !== null && args[0]?.t === 'field') given = args.slice(1);
    else if (args.some((a) => a.t === 'field')) this.error(t, `${name} takes no price field here: ${forms}`);
    if (given.length !== shape.args.length || given.some((a) => a.t === 'field')) {
      this.error(t, `${name} takes ${forms}; got ${args.length} argument${args.length === 1 ? '' : 's'}`);
    }
    const head = this.textBetween(t.col, this.prevEnd());
    const outputs = INDICATOR_OUTPUTS[fn];
    let output: string | null = null;
    if (this.isOp('.')) {
      this.pos++;
      const o = this.peek();
      if (outputs === null) this.error(o, `${head} has a single output; write ${head} without ".${o?.text ?? ''}"`);
      if (o === undefined || o.kind !== 'word' || !outputs.includes(o.text.toLowerCase())) {
        this.error(o, `${head} has the outputs ${outputs.map((x) => `.${x}`).join(' ')}`);
      }
      output = o.text.toLowerCase();
      this.pos++;
    } else if (outputs !== null) {
      this.error(this.peek(), `${head} has several outputs: write ${outputs.map((x) => `${head}.${x}`).join(', ')}`);
    }
    const lag = this.lag();
    return { t: 'call', fn, name, args, output, lag, col: t.col, text: this.textBetween(t.col, this.prevEnd()) };
  }

  private argument(fnName: string): ArgAst {
    const a = this.peek();
    if (a === undefined) return this.error(a, `expected ")" to close ${fnName}(`);
    if (a.kind === 'param') { this.pos++; return { t: 'param', name: a.text.slice(1), col: a.col }; }
    if (a.kind === 'word' && (PRICE_FIELDS as readonly string[]).includes(a.text.toLowerCase())) {
      this.pos++;
      return { t: 'field', field: a.text.toLowerCase() as PriceField, col: a.col };
    }
    if (a.kind === 'num' || this.isOp('-')) {
      const { v, col } = this.number('a number', fnName);
      return { t: 'num', v, col };
    }
    return this.error(a, `expected a number, $param or price field as an argument of ${fnName}, found ${this.shown(a)}`);
  }

  /** `[k]`, k an integer ≥ 1: k bars back. */
  private lag(): number {
    if (!this.isOp('[')) return 0;
    this.pos++;
    const k = this.peek();
    if (this.isOp('-')) this.error(k, 'a negative lag reads a bar that has not happened yet; use [k] with k ≥ 1 (x[1] is the previous bar)');
    if (k === undefined || k.kind !== 'num' || !/^[0-9]+$/.test(k.text) || Number(k.text) < 1) {
      this.error(k, 'a lag must be an integer ≥ 1 (x[1] is the previous bar)');
    }
    this.pos++;
    if (!this.isOp(']')) this.error(this.peek(), 'expected "]" after the lag');
    this.pos++;
    return Number(k.text);
  }
}

/** Parses one statement; errors come from `fail`, which locates them. */
export function parseStatement(st: Statement, fail: Fail, notes: string[] = []): StatementAst {
  // A name is free text, so it is taken before tokenizing (it may hold any character).
  const named = /^name(?:\s+(.*))?$/i.exec(st.text);
  if (named !== null) {
    const name = (named[1] ?? '').trim();
    if (name === '') throw fail(st.text.length + 1, 'name', 'expected a name after "name"');
    return { st, s: 'name', name };
  }
  const t = tokenizeStatement(st.text);
  if (!t.ok) throw fail(t.col, t.char, `unexpected character ${JSON.stringify(t.char)}`);
  const local: string[] = [];
  const tokens = normalizeTokens(t.tokens, local);
  // "statement N: " is merged across statements by the caller (the same default noted once).
  for (const n of local) notes.push(`statement ${st.n}: ${n}`);
  return new StatementParser(tokens, st, fail).statement();
}
