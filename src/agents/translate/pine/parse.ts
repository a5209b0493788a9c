import { pineSyntaxError, refusePine } from '../refused.ts';
import type { Expr, NamedArg, Span, Stmt } from './ast.ts';
import type { LogicalLine, Tok } from './tokenize.ts';

/** Recursion guard for nested parentheses, calls and unary operators. */
export const MAX_NESTING = 64;
/** Node-depth guard: long operator chains build deep trees without recursing in the parser. */
export const MAX_EXPR_DEPTH = 128;

/** else-if chains recurse once per branch. */
export const MAX_ELSE_IF = 32;

const TYPE_WORDS = new Set(['int', 'float', 'bool', 'string', 'color', 'series', 'simple', 'const', 'input', 'line', 'label', 'box', 'table']);
const COMPARE = new Set(['<', '<=', '>', '>=']);

/** Parses one logical line's tokens into an expression. */
class ExprParser {
  private pos = 0;
  constructor(private readonly toks: readonly Tok[], private readonly source: string, private readonly lineNo: number) {}

  private peek(): Tok | undefined { return this.toks[this.pos]; }
  private isOp(text: string, tok = this.peek()): boolean { return tok !== undefined && tok.kind === 'op' && tok.text === text; }
  private isWord(text: string, tok = this.peek()): boolean { return tok !== undefined && tok.kind === 'ident' && tok.text === text; }
  private line(): number { return this.peek()?.line ?? this.toks[this.toks.length - 1]?.line ?? this.lineNo; }

  fail(construct: string, why: string, fix = 'Check the syntax of this line.'): never {
    return refusePine(this.source, this.line(), construct, why, fix);
  }

  /** A syntax error at the current token (or just after the line's last one). */
  syntax(construct: string, message: string): never {
    const tok = this.peek();
    const last = this.toks[this.toks.length - 1];
    const line = tok?.line ?? last?.line ?? this.lineNo;
    const col = tok?.col ?? (last === undefined ? 1 : last.col + (last.end - last.start));
    return pineSyntaxError(this.source, line, col, construct, message);
  }

  private unexpected(expected: string): never {
    const tok = this.peek();
    return this.syntax(tok === undefined ? 'the end of the line' : `"${tok.text}"`, `expected ${expected}, found ${tok === undefined ? 'the end of the line' : `"${tok.text}"`}`);
  }

  private node<T extends Omit<Expr, keyof Span>>(body: T, first: { start: number; line: number }, end: number, children: readonly Expr[]): Expr {
    const depth = 1 + children.reduce((m, c) => Math.max(m, c.depth), 0);
    if (depth > MAX_EXPR_DEPTH) {
      refusePine(this.source, first.line, 'an expression this deep', `it nests more than ${MAX_EXPR_DEPTH} operations`, 'Split it into named variables.');
    }
    return { ...body, line: first.line, start: first.start, end, depth } as unknown as Expr;
  }

  atEnd(): boolean { return this.pos >= this.toks.length; }
  expectEnd(): void { if (!this.atEnd()) this.unexpected('the end of the statement'); }

  parse(nesting: number): Expr {
    if (nesting > MAX_NESTING) this.fail('nesting this deep', `parentheses, calls or unary operators nest more than ${MAX_NESTING} levels`, 'Simplify the expression.');
    const c = this.parseOr(nesting);
    if (!this.isOp('?')) return c;
    this.pos++;
    const a = this.parse(nesting + 1);
    if (!this.isOp(':')) this.unexpected('":" of the ?: operator');
    this.pos++;
    const b = this.parse(nesting + 1);
    return this.node({ t: 'ternary', c, a, b }, c, b.end, [c, a, b]);
  }

  private parseLogic(op: 'and' | 'or', next: (n: number) => Expr, nesting: number): Expr {
    const parts = [next(nesting)];
    while (this.isWord(op)) { this.pos++; parts.push(next(nesting)); }
    if (parts.length === 1) return parts[0]!;
    return this.node({ t: 'logic', op, parts }, parts[0]!, parts[parts.length - 1]!.end, parts);
  }

  private parseOr(n: number): Expr { return this.parseLogic('or', (m) => this.parseAnd(m), n); }
  private parseAnd(n: number): Expr { return this.parseLogic('and', (m) => this.parseEquality(m), n); }

  private parseBinary(ops: (t: string) => boolean, next: (n: number) => Expr, nesting: number): Expr {
    let l = next(nesting);
    for (let tok = this.peek(); tok !== undefined && tok.kind === 'op' && ops(tok.text); tok = this.peek()) {
      this.pos++;
      const r = next(nesting);
      l = this.node({ t: 'binary', op: tok.text, l, r }, l, r.end, [l, r]);
    }
    return l;
  }

  private parseEquality(n: number): Expr { return this.parseBinary((t) => t === '==' || t === '!=', (m) => this.parseCompare(m), n); }
  private parseCompare(n: number): Expr { return this.parseBinary((t) => COMPARE.has(t), (m) => this.parseAdditive(m), n); }
  private parseAdditive(n: number): Expr { return this.parseBinary((t) => t === '+' || t === '-', (m) => this.parseMultiplicative(m), n); }
  private parseMultiplicative(n: number): Expr { return this.parseBinary((t) => t === '*' || t === '/' || t === '%', (m) => this.parseUnary(m), n); }

  private parseUnary(nesting: number): Expr {
    const tok = this.peek();
    if (tok !== undefined && (this.isOp('-') || this.isOp('+') || this.isWord('not'))) {
      if (nesting > MAX_NESTING) this.fail('nesting this deep', `unary operators nest more than ${MAX_NESTING} levels`, 'Simplify the expression.');
      this.pos++;
      const e = this.parseUnary(nesting + 1);
      return this.node({ t: 'unary', op: tok.text as '-' | '+' | 'not', e }, tok, e.end, [e]);
    }
    return this.parsePostfix(nesting);
  }

  private parsePostfix(nesting: number): Expr {
    let e = this.parsePrimary(nesting);
    for (;;) {
      if (this.isOp('[')) {
        this.pos++;
        const index = this.parse(nesting + 1);
        if (!this.isOp(']')) this.unexpected('"]" closing the history offset');
        const close = this.peek()!;
        this.pos++;
        e = this.node({ t: 'index', target: e, index }, e, close.end, [e, index]);
      } else if (this.isOp('.') || this.isOp('(')) {
        this.fail(`"${this.peek()!.text}" after ${e.t === 'call' ? 'a call' : 'a value'}`, 'methods and calls of computed values are outside the subset', 'Call built-in functions by name, e.g. ta.sma(close, 20).');
      } else {
        return e;
      }
    }
  }

  private parsePrimary(nesting: number): Expr {
    const tok = this.peek();
    if (tok === undefined) return this.unexpected('a value');
    if (tok.kind === 'num') {
      this.pos++;
      const v = Number(tok.text);
      if (!Number.isFinite(v)) this.fail(`the number ${tok.text}`, 'it is not a finite number', 'Use an ordinary number.');
      return this.node({ t: 'num', v, text: tok.text }, tok, tok.end, []);
    }
    if (tok.kind === 'str') {
      this.pos++;
      return this.node({ t: 'str', v: unquote(tok.text) }, tok, tok.end, []);
    }
    if (tok.kind === 'color') { this.pos++; return this.node({ t: 'color' }, tok, tok.end, []); }
    if (tok.kind === 'ident') return this.parseNameOrCall(tok, nesting);
    if (this.isOp('(')) {
      this.pos++;
      const e = this.parse(nesting + 1);
      if (!this.isOp(')')) this.unexpected('")"');
      this.pos++;
      return e;
    }
    if (this.isOp('[')) {
      this.pos++;
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        items.push(this.parse(nesting + 1));
        if (this.isOp(',')) this.pos++;
        else if (!this.isOp(']')) this.unexpected('"," or "]"');
      }
      const close = this.peek()!;
      this.pos++;
      return this.node({ t: 'list', items }, tok, close.end, items);
    }
    return this.unexpected('a value');
  }

  private parseNameOrCall(first: Tok, nesting: number): Expr {
    let name = first.text;
    let last = first;
    this.pos++;
    while (this.isOp('.') && this.toks[this.pos + 1]?.kind === 'ident') {
      last = this.toks[this.pos + 1]!;
      name += `.${last.text}`;
      this.pos += 2;
    }
    if (this.isOp('<') && name.includes('.') && this.toks[this.pos + 2]?.text === '>') {
      this.fail(`\`${name}<…>\``, 'generic (typed) calls are outside the subset', 'Use built-in indicators.');
    }
    if (!this.isOp('(')) return this.node({ t: 'name', name }, first, last.end, []);
    this.pos++;
    const args: Expr[] = [];
    const named: NamedArg[] = [];
    while (!this.isOp(')')) {
      const tok = this.peek();
      if (tok === undefined) this.unexpected('")" closing the call');
      if (tok.kind === 'ident' && this.isOp('=', this.toks[this.pos + 1])) {
        this.pos += 2;
        if (named.some((a) => a.name === tok.text)) this.syntax(`the argument \`${tok.text}=\``, `the argument \`${tok.text}=\` is given twice`);
        named.push({ name: tok.text, value: this.parse(nesting + 1), line: tok.line });
      } else {
        if (named.length > 0) this.syntax('a positional argument after a named one', 'a positional argument cannot follow a named one');
        args.push(this.parse(nesting + 1));
      }
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(')')) this.unexpected('"," or ")"');
    }
    const close = this.peek()!;
    this.pos++;
    const children = [...args, ...named.map((a) => a.value)];
    return this.node({ t: 'call', callee: name, args, named }, first, close.end, children);
  }

  get position(): number { return this.pos; }
  set position(p: number) { this.pos = p; }
}

function unquote(text: string): string {
  const body = text.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** Parses the logical lines into statements, using the indentation levels for blocks. */
export function parsePine(lines: readonly LogicalLine[], source: string): Stmt[] {
  let i = 0;

  const parseStatement = (ll: LogicalLine): Stmt => {
    const toks = ll.tokens;
    const p = new ExprParser(toks, source, ll.line);
    const t0 = toks[0]!;
    if (t0.kind === 'ident' && t0.text === 'if') return parseIf(ll, 1);
    if (t0.kind === 'ident' && t0.text === 'else') p.syntax('`else`', '`else` does not follow an if block at the same indentation');
    if (t0.kind === 'op' && t0.text === '[') {
      const names: string[] = [];
      let k = 1;
      for (; k < toks.length && toks[k]!.text !== ']'; k++) {
        const tok = toks[k]!;
        if (tok.kind === 'ident') names.push(tok.text);
        else if (tok.text !== ',') break;
      }
      if (toks[k]?.text === ']' && toks[k + 1]?.text === '=' && names.length > 0) {
        p.position = k + 2;
        const expr = p.parse(0);
        p.expectEnd();
        return { s: 'assign', names, tuple: true, expr, line: ll.line };
      }
    }
    // `var` and `:=` reach the parser only on the lines the hard scan let through (atr-capture.ts).
    if (t0.kind === 'ident' && t0.text === 'var') {
      let j = 1;
      while (toks[j]?.kind === 'ident' && TYPE_WORDS.has(toks[j]!.text) && toks[j + 1]?.kind === 'ident') j++;
      if (toks[j]?.kind === 'ident' && toks[j + 1]?.text === '=') {
        p.position = j + 2;
        const expr = p.parse(0);
        p.expectEnd();
        return { s: 'var', name: toks[j]!.text, expr, line: ll.line };
      }
    }
    if (t0.kind === 'ident' && toks[1]?.kind === 'op' && toks[1].text === ':=') {
      p.position = 2;
      const expr = p.parse(0);
      p.expectEnd();
      return { s: 'reassign', name: t0.text, expr, line: ll.line };
    }
    let k = 0;
    while (toks[k]?.kind === 'ident' && TYPE_WORDS.has(toks[k]!.text) && toks[k + 1]?.kind === 'ident') k++;
    if (toks[k]?.kind === 'ident' && toks[k + 1]?.kind === 'op' && toks[k + 1]!.text === '=') {
      p.position = k + 2;
      const expr = p.parse(0);
      p.expectEnd();
      return { s: 'assign', names: [toks[k]!.text], tuple: false, expr, line: ll.line };
    }
    const expr = p.parse(0);
    p.expectEnd();
    return { s: 'expr', expr, line: ll.line };
  };

  /** `if COND` at tokens[from…], its indented body, and an `else` / `else if` chain. */
  const parseIf = (ll: LogicalLine, from: number, chain = 0): Stmt => {
    const p = new ExprParser(ll.tokens, source, ll.line);
    if (chain > MAX_ELSE_IF) p.fail('an else-if chain this long', `it has more than ${MAX_ELSE_IF} branches`, 'Write separate if blocks.');
    p.position = from;
    if (p.atEnd()) p.syntax('`if` without a condition', 'expected a condition after `if`');
    const cond = p.parse(0);
    p.expectEnd();
    const body = parseBody(ll);
    let orelse: Stmt[] | null = null;
    const next = lines[i];
    if (next !== undefined && next.level === ll.level && next.tokens[0]?.kind === 'ident' && next.tokens[0].text === 'else') {
      i++;
      if (next.tokens[1]?.kind === 'ident' && next.tokens[1].text === 'if') {
        orelse = [parseIf(next, 2, chain + 1)];
      } else {
        if (next.tokens.length > 1) pineSyntaxError(source, next.tokens[1]!.line, next.tokens[1]!.col, `"${next.tokens[1]!.text}" after else`, 'else takes an indented block on the following lines');
        orelse = parseBody(next);
      }
    }
    return { s: 'if', cond, body, orelse, line: ll.line };
  };

  const parseBody = (head: LogicalLine): Stmt[] => {
    if (lines[i] === undefined || lines[i]!.level <= head.level) {
      pineSyntaxError(source, head.line, 1, 'a block without a body', 'expected an indented block after this line (indent its statements by 4 more spaces)');
    }
    return parseBlock(head.level + 1);
  };

  const parseBlock = (level: number): Stmt[] => {
    const out: Stmt[] = [];
    while (i < lines.length) {
      const ll = lines[i]!;
      if (ll.level < level) break;
      if (ll.level > level) pineSyntaxError(source, ll.line, 1, 'indentation', 'this line is indented more than the block it is in (indent block statements by exactly 4 spaces more than their if)');
      i++;
      out.push(parseStatement(ll));
    }
    return out;
  };

  return parseBlock(0);
}

/** The source text of an expression, shortened for messages. */
export function quote(src: string, e: Expr): string {
  const t = src.slice(e.start, e.end).replace(/\s+/g, ' ');
  return `\`${t.length > 60 ? `${t.slice(0, 57)}…` : t}\``;
}
