/** The Pine subset's syntax tree. Every node knows its line, its source span and its depth. */

export interface Span {
  readonly line: number;
  /** Offsets into the source, for quoting the construct in messages. */
  readonly start: number;
  readonly end: number;
  /** 1 for a leaf; kept so evaluation never meets a tree deeper than the parser allowed. */
  readonly depth: number;
}

export interface NamedArg { readonly name: string; readonly value: Expr; readonly line: number }

export type Expr = Span & (
  | { readonly t: 'num'; readonly v: number; readonly text: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'color' }
  /** A possibly dotted name: `close`, `ta.sma`, `strategy.long`. true/false/na are names too. */
  | { readonly t: 'name'; readonly name: string }
  | { readonly t: 'call'; readonly callee: string; readonly args: readonly Expr[]; readonly named: readonly NamedArg[] }
  | { readonly t: 'index'; readonly target: Expr; readonly index: Expr }
  | { readonly t: 'unary'; readonly op: '-' | '+' | 'not'; readonly e: Expr }
  | { readonly t: 'binary'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'logic'; readonly op: 'and' | 'or'; readonly parts: readonly Expr[] }
  | { readonly t: 'ternary'; readonly c: Expr; readonly a: Expr; readonly b: Expr }
  | { readonly t: 'list'; readonly items: readonly Expr[] }
);

export type Stmt =
  | { readonly s: 'assign'; readonly names: readonly string[]; readonly tuple: boolean; readonly expr: Expr; readonly line: number }
  | { readonly s: 'if'; readonly cond: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] | null; readonly line: number }
  | { readonly s: 'expr'; readonly expr: Expr; readonly line: number }
  /** `var [type] NAME = EXPR` and `NAME := EXPR`: read only where they capture ATR at an entry (atr-capture.ts). */
  | { readonly s: 'var'; readonly name: string; readonly expr: Expr; readonly line: number }
  | { readonly s: 'reassign'; readonly name: string; readonly expr: Expr; readonly line: number };
