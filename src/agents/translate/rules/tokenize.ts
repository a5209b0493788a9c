export type RuleTokKind = 'num' | 'word' | 'param' | 'op';

export interface RuleTok {
  readonly kind: RuleTokKind;
  /** As written; words are compared lowercased (keywords, fields and fns are case-insensitive, param names are not). */
  readonly text: string;
  /** 1-based column within the statement. */
  readonly col: number;
  readonly end: number;
}

const OPS = ['<=', '>=', '==', '!=', '<', '>', '=', '(', ')', '[', ']', ',', '.', '%', '-', '+', '*', '/'];
const NUMBER = /\d+(?:\.\d+)?|\.\d+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Tokens of one statement, or the column of the first character that starts none. */
export function tokenizeStatement(text: string): { ok: true; tokens: RuleTok[] } | { ok: false; col: number; char: string } {
  const tokens: RuleTok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    const push = (kind: RuleTokKind, end: number): void => { tokens.push({ kind, text: text.slice(i, end), col: i + 1, end: end + 1 }); i = end; };
    NUMBER.lastIndex = i;
    if (/[0-9.]/.test(ch) && NUMBER.exec(text) !== null) { push('num', NUMBER.lastIndex); continue; }
    WORD.lastIndex = i;
    if (/[A-Za-z_]/.test(ch) && WORD.exec(text) !== null) { push('word', WORD.lastIndex); continue; }
    if (ch === '$') {
      WORD.lastIndex = i + 1;
      if (WORD.exec(text) !== null) { push('param', WORD.lastIndex); continue; }
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op !== undefined) { push('op', i + op.length); continue; }
    return { ok: false, col: i + 1, char: ch };
  }
  return { ok: true, tokens };
}
