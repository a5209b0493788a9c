import { normalizeTokens } from './normalize.ts';
import { tokenizeStatement, type RuleTok } from './tokenize.ts';

/**
 * One rewrite of free text into the rule language, offered (never applied) when the parser
 * refuses it: "buy the dip when RSI under 30, sell above 70, 5% stop" → "buy when rsi(14) < 30;
 * sell when rsi(14) > 70; stop 5%". Each clause gets its verb and `when`; words between the verb
 * and `when` are dropped; a condition that starts with its comparison borrows the left operand of
 * the clause before it. The caller offers the rewrite only if it translates.
 */

const VERB = /^(buy|sell|short|cover|exit|go\s+long|go\s+short|enter\s+long|enter\s+short|exit\s+long|exit\s+short|close\s+long|close\s+short|long|close|enter|get\s+out|get\s+in)\b/i;
const VERB_OF: Record<string, string> = { 'go long': 'buy', 'enter long': 'buy', long: 'buy', enter: 'buy', 'get in': 'buy', 'go short': 'short', 'enter short': 'short',
  'exit long': 'sell', 'close long': 'sell', close: 'sell', 'get out': 'sell', 'exit short': 'cover', 'close short': 'cover' };
const CONNECTOR = /\b(when|if|once|whenever|as soon as|on)\b/i;
const CMP_SPLIT = /^(.*?)\s*(<=|>=|<|>|\b(?:crosses|cross|crossed|below|above|under|over|less|greater|more|higher|lower|rises|falls|drops|dips|breaks|is)\b)\s*(?:(?:above|below|under|over|than)\b\s*)?(.*)$/i;

/** Named conventions and loose words, rewritten into the language before a clause is read. */
const PHRASES: readonly [RegExp, string][] = [
  [/^[A-Za-z][\w\s/-]*:\s*/, ''], // a label: "golden cross: buy when …"
  [/\bgolden\s+cross\b/i, 'sma(50) crosses above sma(200)'],
  [/\bdeath\s+cross\b/i, 'sma(50) crosses below sma(200)'],
  [/\bbullish\s+macd\s+cross(?:over)?\b/i, 'macd crosses above signal'],
  [/\bbearish\s+macd\s+cross(?:over|under)?\b/i, 'macd crosses below signal'],
  [/\b(crosses|crossed|cross)\s+back\b/i, '$1'],
  [/\bwhile\b/i, 'and'],
  [/\bbreaks\s+(?:the\s+)?(\d+[- ](?:day|bar|period)s?\s+high)\b/i, '> $1'],
  [/\bbreaks\s+(?:the\s+)?(\d+[- ](?:day|bar|period)s?\s+low)\b/i, '< $1'],
  [/\b(lower|upper|middle)\s+(?:bollinger\s+)?band\s*\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)\)/i, 'bb($2, $3).$1'],
];
const COMPARATOR = /^(<=|>=|<|>|crosses\b|cross\b|crossed\b|below\b|above\b|under\b|over\b|less\b|greater\b|more\b|higher\b|lower\b|rises\b|falls\b|drops\b|dips\b|breaks\b|is\s+(below|above|under|over)\b|goes\b|at\s+(least|most)\b)/i;
const RISK = /^(stop|target|take[\s-]*profit|profit\s+target|sl|tp|fees?|commissions?|slippage|holding|market|style|\d+(\.\d+)?\s*%)/i;

function clauses(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (i === text.length || ch === ';' || ch === '\n' || (depth === 0 && (ch === ',' || ch === '.') && !/\d/.test(text[i + 1] ?? '') && !/[A-Za-z]/.test(text[i + 1] ?? ''))) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return out.flatMap((c) => c.split(/\s+(?:and\s+then|then|and)\s+(?=(?:buy|sell|short|cover|exit|close|go)\b)/i)).map((c) => c.trim()).filter((c) => c !== '');
}

/** The canonical spelling of one statement: synonyms and defaults resolved, tokens joined tightly. */
export function canonicalStatement(text: string): string | null {
  const t = tokenizeStatement(text);
  if (!t.ok) return null;
  const toks: RuleTok[] = normalizeTokens(t.tokens, []);
  let out = '';
  let prev: RuleTok | undefined;
  for (const tok of toks) {
    const tight = [')', ',', '.', ']', '%'].includes(tok.text) || (prev !== undefined && ['(', '.', '['].includes(prev.text))
      || ((tok.text === '(' || tok.text === '[') && prev !== undefined && prev.kind === 'word' && !['when', 'and', 'or', 'not'].includes(prev.text.toLowerCase()))
      || (tok.text === '[' && prev?.text === ')');
    out += (out === '' || tight ? '' : ' ') + (tok.kind === 'word' && !tok.text.startsWith('$') ? tok.text.toLowerCase() : tok.text);
    if (tok.text === ',') out += ' ';
    prev = tok;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** A rule-language rewrite of `text`, or null when none can be derived. */
export function suggestRewrite(text: string): string | null {
  const parts = clauses(text);
  if (parts.length === 0) return null;
  const out: string[] = [];
  let lastLeft: string | null = null;
  let lastRight: string | null = null;
  for (const original of parts) {
    let raw = original;
    for (const [re, to] of PHRASES) raw = raw.replace(re, to);
    if (RISK.test(raw)) { out.push(raw); continue; }
    const v = VERB.exec(raw);
    if (v === null) return null;
    const verb = VERB_OF[v[1]!.toLowerCase().replace(/\s+/g, ' ')] ?? v[1]!.toLowerCase();
    let rest = raw.slice(v[0].length).trim();
    const c = CONNECTOR.exec(rest);
    // Words between the verb and "when" ("the dip") are dropped; no connector: the rest is the condition.
    if (c !== null) rest = rest.slice(c.index + c[0].length).trim();
    rest = rest.replace(/^(?:the\s+|a\s+|an\s+)/i, '');
    if (rest === '') return null;
    // "it" is the previous clause's left operand where a left operand goes, its right one elsewhere.
    if (/^it\b/i.test(rest)) {
      if (lastLeft === null) return null;
      rest = `${lastLeft}${rest.slice(2)}`;
    }
    if (/\bit$/i.test(rest)) {
      if (lastRight === null) return null;
      rest = `${rest.slice(0, -2)}${lastRight}`;
    }
    // A comparison left open at the end ("… crosses under") takes the previous clause's right operand.
    if (/\b(crosses|cross|crossed)\s+(under|below|over|above|up|down)$/i.test(rest)) {
      if (lastRight === null) return null;
      rest = `${rest} ${lastRight}`;
    }
    if (COMPARATOR.test(rest)) {
      if (lastLeft === null) return null;
      rest = `${lastLeft} ${rest}`;
    }
    // In a conjunction, a part that starts with its comparison compares the price ("… and above the 200 sma").
    rest = rest.split(/\s+and\s+/i).map((p, k) => (k > 0 && COMPARATOR.test(p) ? `close ${p}` : p)).join(' and ');
    const m = CMP_SPLIT.exec(rest.split(/\s+and\s+/i)[0]!);
    if (m !== null && m[1] !== '') { lastLeft = m[1]!; lastRight = m[3]!.trim() === '' ? lastRight : m[3]!.trim(); }
    out.push(`${verb} when ${rest}`);
  }
  const canon = out.map((s) => canonicalStatement(s));
  if (canon.some((s) => s === null)) return null;
  const joined = canon.join('; ');
  return joined.toLowerCase() === text.trim().toLowerCase() ? null : joined;
}
