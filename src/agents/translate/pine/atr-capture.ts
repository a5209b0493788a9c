import type { LogicalLine, Tok } from './tokenize.ts';

/**
 * The one use of `var` and `:=` the subset reads: ATR captured on the bar an entry is called, the
 * Pine form of spec v1.1's ATR levels (docs/semantics.md):
 *
 *     atrNow = ta.atr(14)
 *     var float atrAtEntry = na
 *     if longCondition
 *         strategy.entry("L", strategy.long)
 *         atrAtEntry := atrNow
 *     strategy.exit("X", "L", stop=strategy.position_avg_price - 2 * atrAtEntry)
 *
 * This token-level pass only finds the lines shaped like that, so the hard-refusal scan lets them
 * through; whether they mean what spec v1.1 means (the assignment sits beside the entry, on its
 * bars, and reads ATR) is checked on the parsed statements (translate.ts, orders.ts), each failure
 * named with its line.
 */

const TYPE_WORDS = new Set(['int', 'float', 'series', 'simple', 'const']);

/** `var [type …] NAME = …` at the top level: NAME, or null. */
function varName(ll: LogicalLine): string | null {
  const t = ll.tokens;
  if (ll.level !== 0 || t[0]?.text !== 'var') return null;
  let j = 1;
  while (t[j]?.kind === 'ident' && TYPE_WORDS.has(t[j]!.text) && t[j + 1]?.kind === 'ident') j++;
  return t[j]?.kind === 'ident' && t[j + 1]?.text === '=' ? t[j]!.text : null;
}

/** `ta.atr(…)`, `atr(…)` or one name, the whole of what follows `:=` (the call form passes only to be refused with its reason). */
function atrShaped(rhs: readonly Tok[]): boolean {
  if (rhs.length === 1) return rhs[0]!.kind === 'ident';
  const call = rhs[0]?.text === 'ta' && rhs[1]?.text === '.' && rhs[2]?.text === 'atr' ? 3 : rhs[0]?.text === 'atr' ? 1 : -1;
  return call > 0 && rhs[call]?.text === '(' && rhs[rhs.length - 1]!.text === ')';
}

/** Whether the block holding lines[k] calls strategy.entry at the same level. */
export function inEntryBlock(lines: readonly LogicalLine[], k: number): boolean {
  const level = lines[k]!.level;
  if (level === 0) return false;
  let from = k;
  while (from > 0 && lines[from - 1]!.level >= level) from--;
  for (let j = from; j < lines.length && lines[j]!.level >= level; j++) {
    const t = lines[j]!.tokens;
    if (lines[j]!.level === level && t[0]?.text === 'strategy' && t[1]?.text === '.' && t[2]?.text === 'entry') return true;
  }
  return false;
}

/** Line numbers of the `var` declarations and `:=` assignments shaped like an ATR capture. */
export function captureShapedLines(lines: readonly LogicalLine[]): Set<number> {
  const decl = new Map<string, number>();
  for (const ll of lines) {
    const name = varName(ll);
    if (name !== null) decl.set(name, ll.line);
  }
  const assigns = new Map<string, number[]>();
  const bad = new Set<string>();
  lines.forEach((ll) => {
    const t = ll.tokens;
    const name = t[0]?.kind === 'ident' && t[1]?.text === ':=' ? t[0].text : null;
    if (name === null || !decl.has(name)) return;
    // A top-level assignment passes too: translate.ts refuses it with the reason (it runs on every bar).
    if (!atrShaped(t.slice(2))) bad.add(name);
    assigns.set(name, [...(assigns.get(name) ?? []), ll.line]);
  });
  const out = new Set<number>();
  for (const [name, line] of decl) {
    const a = assigns.get(name);
    if (a === undefined || bad.has(name)) continue;
    out.add(line);
    a.forEach((l) => out.add(l));
  }
  return out;
}
