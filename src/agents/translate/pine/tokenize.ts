import { refusePine } from '../refused.ts';

export type TokKind = 'num' | 'str' | 'ident' | 'op' | 'color';

export interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  /** 1-based line and column of the first character. */
  readonly line: number;
  readonly col: number;
  /** Offsets into the source: text.slice(start, end) is the token. */
  readonly start: number;
  readonly end: number;
}

/** One statement's tokens: a physical line plus its continuations. */
export interface LogicalLine {
  /** Block level: leading spaces ÷ 4 (a tab counts 4). */
  readonly level: number;
  readonly line: number;
  readonly tokens: Tok[];
}

// Longest first, so ":=" is not read as ":" "=".
const OPS = [':=', '=>', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '<', '>', '=', '+', '-', '*', '/', '%', '?', ':', '(', ')', '[', ']', ',', '.'];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const COLOR = /#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?\b/y;

/** Deeper block nesting is refused: no subset script needs it, and the parser recurses per level. */
export const MAX_BLOCK_LEVEL = 16;

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x20 || code === 0x7f || code > 0x7e ? `character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `character "${ch}"`;
}

/**
 * Splits Pine source into logical lines of tokens. Comments (`//`) are dropped. A line continues
 * the previous one while a bracket is open, or when it is indented by a non-multiple of 4 spaces
 * (Pine's line-wrapping rule); otherwise its indentation sets its block level.
 */
export function tokenizePine(text: string, source: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current: { level: number; line: number; tokens: Tok[] } | null = null;
  let depth = 0;
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // At the start of a physical line: measure the indentation.
    const lineStart = i;
    let width = 0;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) { width += text[i] === '\t' ? 4 : 1; i++; }
    const blank = i >= n || text[i] === '\n' || text[i] === '\r' || text.startsWith('//', i);
    if (!blank) {
      if (depth > 0 || (current !== null && width % 4 !== 0)) {
        // continuation: tokens join the current logical line
      } else {
        if (width % 4 !== 0) refusePine(source, line, 'indentation', `the first statement is indented by ${width} spaces`, 'Start top-level statements in column 1 and indent blocks by 4 spaces.');
        const level = width / 4;
        if (level > MAX_BLOCK_LEVEL) refusePine(source, line, 'nesting', `blocks are nested ${level} levels deep (at most ${MAX_BLOCK_LEVEL})`, 'Flatten the if blocks into combined conditions.');
        current = { level, line, tokens: [] };
        lines.push(current);
      }
    }
    while (i < n && text[i] !== '\n') {
      const ch = text[i]!;
      if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
      if (text.startsWith('//', i)) { while (i < n && text[i] !== '\n') i++; break; }
      const col = i - lineStart + 1;
      const push = (kind: TokKind, end: number): void => {
        current!.tokens.push({ kind, text: text.slice(i, end), line, col, start: i, end });
        i = end;
      };
      if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
        NUMBER.lastIndex = i;
        NUMBER.exec(text);
        push('num', NUMBER.lastIndex);
        continue;
      }
      if (/[A-Za-z_]/.test(ch)) {
        IDENT.lastIndex = i;
        IDENT.exec(text);
        push('ident', IDENT.lastIndex);
        continue;
      }
      if (ch === '"' || ch === "'") {
        let j = i + 1;
        while (j < n && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
        if (j >= n || text[j] !== ch) refusePine(source, line, 'an unterminated string', 'the string has no closing quote on its line', 'Close the string.');
        push('str', j + 1);
        continue;
      }
      if (ch === '#') {
        COLOR.lastIndex = i;
        if (COLOR.exec(text) !== null) { push('color', COLOR.lastIndex); continue; }
      }
      const op = OPS.find((o) => text.startsWith(o, i));
      if (op !== undefined) {
        if (op === '(' || op === '[') depth++;
        if ((op === ')' || op === ']') && depth > 0) depth--;
        push('op', i + op.length);
        continue;
      }
      refusePine(source, line, describeChar(ch), `it is not part of Pine Script syntax (column ${col})`, 'Check that the input is a Pine v4/v5 script saved as plain text.');
    }
    if (i < n) i++; // the newline
    line++;
  }
  return lines;
}
