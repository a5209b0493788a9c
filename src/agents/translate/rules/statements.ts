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
    let offset = 0;
    for (const piece of code.split(';')) {
      const lead = piece.length - piece.trimStart().length;
      const text = piece.trim();
      if (text !== '') out.push({ n: out.length + 1, text, line: k + 1, col: offset + lead + 1 });
      offset += piece.length + 1;
    }
  });
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
