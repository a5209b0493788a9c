import { pineSyntaxError, refusePine } from '../refused.ts';

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

/** How a statement starts; used only to tell an unclosed bracket from a wrapped line. */
const STATEMENT_START = /^(?:(?:if|else|for|while|switch|var|varip)\b|strategy\.(?:entry|close|exit)[ \t]*\(|plot[ \t]*\()/;

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
  let current: { level: number; line: number; width: number; tokens: Tok[] } | null = null;
  // Open brackets with where they opened, so an unclosed one is reported where it opened.
  const open: { ch: string; line: number; col: number }[] = [];
  // Reported just after the statement's last token: where the closing bracket was due.
  const unclosed = (what: string): never => {
    const o = open[open.length - 1]!;
    const last = current!.tokens[current!.tokens.length - 1]!;
    const atLine = last.line;
    const atCol = last.col + (last.end - last.start);
    const close = o.ch === '(' ? ')' : ']';
    return pineSyntaxError(source, atLine, atCol, `an unclosed \`${o.ch}\``, `expected \`${close}\` to close \`${o.ch}\` opened at ${o.line}:${o.col}, but ${what}`);
  };
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
      // A bracket still open when a line starts at (or left of) its statement's indentation, on a
      // block boundary: the bracket was never closed (a wrapped line is indented further).
      // Or a line on a block boundary that reads as a statement of its own (if …, strategy.entry(…):
      // a wrapped line is indented by a non-multiple of 4, so the bracket was never closed.
      if (open.length > 0 && current !== null && width % 4 === 0 && (width <= current.width || STATEMENT_START.test(text.slice(i, i + 80)))) unclosed(`line ${line} starts a new statement`);
      if (open.length > 0 || (current !== null && width % 4 !== 0)) {
        // continuation: tokens join the current logical line
      } else {
        if (width % 4 !== 0) refusePine(source, line, 'indentation', `the first statement is indented by ${width} spaces`, 'Start top-level statements in column 1 and indent blocks by 4 spaces.');
        const level = width / 4;
        if (level > MAX_BLOCK_LEVEL) refusePine(source, line, 'nesting', `blocks are nested ${level} levels deep (at most ${MAX_BLOCK_LEVEL})`, 'Flatten the if blocks into combined conditions.');
        current = { level, line, width, tokens: [] };
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
        if (j >= n || text[j] !== ch) pineSyntaxError(source, line, col, 'an unterminated string', `the string opened at ${line}:${col} has no closing quote on its line`);
        push('str', j + 1);
        continue;
      }
      if (ch === '#') {
        COLOR.lastIndex = i;
        if (COLOR.exec(text) !== null) { push('color', COLOR.lastIndex); continue; }
      }
      const op = OPS.find((o) => text.startsWith(o, i));
      if (op !== undefined) {
        if (op === '(' || op === '[') open.push({ ch: op, line, col });
        if (op === ')' || op === ']') {
          const o = open.pop();
          if (o === undefined) pineSyntaxError(source, line, col, `\`${op}\``, `\`${op}\` closes nothing: no \`${op === ')' ? '(' : '['}\` is open`);
          if ((o.ch === '(') !== (op === ')')) pineSyntaxError(source, line, col, `\`${op}\``, `expected \`${o.ch === '(' ? ')' : ']'}\` to close \`${o.ch}\` opened at ${o.line}:${o.col}, found \`${op}\``);
        }
        push('op', i + op.length);
        continue;
      }
      pineSyntaxError(source, line, col, describeChar(ch), `${describeChar(ch)} is not part of Pine Script syntax (check that the input is a Pine v4/v5 script saved as plain text)`);
    }
    if (i < n) i++; // the newline
    line++;
  }
  if (open.length > 0) unclosed('the script ends first');
  return lines;
}
