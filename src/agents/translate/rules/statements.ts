import { TranslationRefused } from '../refused.ts';

/** One statement of the rule language, located for messages. */
export interface Statement {
  /** 1-based count of non-empty statements. */
  readonly n: number;
  readonly text: string;
  /** 1-based line, and the column of the statement's first character on that line. */
  readonly line: number;
  readonly col: number;
}

/** Statements are separated by ";" or newlines; "#" and "//" start a comment that runs to the end of the line. */
export function splitStatements(input: string): Statement[] {
  const out: Statement[] = [];
  const lines = input.split('\n');
  lines.forEach((raw, k) => {
    const hash = raw.indexOf('#');
    const slashes = raw.indexOf('//');
    const cut = [hash, slashes].filter((i) => i >= 0);
    const code = cut.length === 0 ? raw : raw.slice(0, Math.min(...cut));
    for (const { text: piece, at } of splitPieces(code)) {
      const lead = piece.length - piece.trimStart().length;
      const text = piece.trim();
      if (text !== '') out.push({ n: out.length + 1, text, line: k + 1, col: at + lead + 1 });
    }
  });
  return out;
}

/** What may start a statement after a "," or "and"/"then" (docs/rules.md): a verb, a risk or cost, a meta statement. */
const STARTS = /^\s*(?:(?:buy|sell|short|cover|exit|go\s+(?:long|short)|enter(?:\s+(?:long|short))?|close\s+(?:long|short)|stop|target|take[\s-]+profit|profit\s+target|sl|tp|fees?|commissions?|slippage|holding|market|style|name|param)\b|\d+(?:\.\d+)?\s*(?:%|(?:x|\*|times)?\s*atr\b(?:\s*\(\s*\d+\s*\))?)\s*(?:stop|sl|take|target|tp|profit))/i;
const VERB_AFTER = /^\s*(?:(?:buy|sell|short|cover|exit|close\s+(?:long|short)|exit\s+(?:long|short)|go\s+(?:long|short)|sell\s+short|buy\s+to\s+cover)\s+(?:when|if|once|on)\b|(?:an?\s+)?\d+(?:\.\d+)?\s*(?:%|(?:x|\*|times)?\s*atr\b(?:\s*\(\s*\d+\s*\))?)\s*(?:stop|sl|take|target|tp|profit)|(?:an?\s+)?(?:stop|take[\s-]+profit|profit\s+target|target)\b)/i;

/**
 * Splits a line on ";", and on "," or " and " / " then " outside parentheses where what follows
 * starts a statement ("buy when rsi < 30, sell when rsi > 70, 5% stop"). A comma inside a call's
 * arguments, or an "and" joining conditions, never splits.
 */
function splitPieces(code: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i <= code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    let cut = 0;
    if (i === code.length || ch === ';') cut = 1;
    else if (depth === 0 && ch === ',' && STARTS.test(code.slice(i + 1))) cut = 1;
    // A sentence's full stop before the next statement ("… the 200-day SMA. Sell when …").
    else if (depth === 0 && ch === '.' && /^\s/.test(code[i + 1] ?? '') && STARTS.test(code.slice(i + 1))) cut = 1;
    else if (depth === 0 && /\s/.test(ch ?? '')) {
      const m = /^\s+(and\s+then|and|then|with)\s+/i.exec(code.slice(i));
      if (m !== null && VERB_AFTER.test(code.slice(i + m[0].length))) cut = m[0].length;
    }
    if (cut > 0) {
      out.push({ text: code.slice(start, i), at: start });
      start = i + cut;
      i = start - 1;
    }
  }
  return out;
}

/**
 * A rule-language error: `SOURCE: statement N, column C: message`, then the statement with a caret
 * under the column. Columns count within the statement; the line is added when the input has several.
 */
export function rulesError(source: string, st: Statement, col: number, construct: string, message: string, multiLine: boolean): TranslationRefused {
  const where = `${source}: statement ${st.n}${multiLine ? ` (line ${st.line})` : ''}, column ${col}`;
  const shown = st.text.length > 120 ? `${st.text.slice(0, 117)}…` : st.text;
  const caret = col <= 120 ? `\n  ${shown}\n  ${' '.repeat(col - 1)}^` : '';
  return new TranslationRefused(`${where}: ${message}${caret}`, source, [{ line: st.line, column: col, construct }]);
}
