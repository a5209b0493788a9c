import type { PineIssue } from '../refused.ts';
import type { LogicalLine, Tok } from './tokenize.ts';
import { inEntryBlock } from './atr-capture.ts';

/**
 * Constructs refused wherever they appear — even in a line no order reads — because each one
 * means the script runs on a model the spec does not have: other timeframes or future bars, state
 * kept across bars, loops, several positions, the strategy's own results, the clock. A plain
 * token scan finds them all at once, so the user sees every problem in one message.
 */

const STATE = 'it keeps state across bars, and spec rules read only prices, indicators and their lags';
const RESTATE = 'Express the rule with indicators and lags (e.g. ta.highest(high, n)[1] for a running high).';
const OWN_RESULTS = 'it reads the strategy\'s own position or results, and spec rules read market data only';

/** strategy.* names the subset reads (strategy.commission.* and the qty types are checked where they are used). */
const STRATEGY_OK = new Set([
  'strategy', 'strategy.entry', 'strategy.close', 'strategy.exit', 'strategy.long', 'strategy.short', 'strategy.position_avg_price',
  // Read only as the sign of the position in an if guard around orders (evaluate.ts refuses any other use, naming it).
  'strategy.position_size', 'strategy.opentrades',
  'strategy.commission.percent', 'strategy.commission.cash_per_order', 'strategy.commission.cash_per_contract',
  'strategy.percent_of_equity', 'strategy.fixed', 'strategy.cash',
]);

const CLOCK = new Set(['time', 'time_close', 'timenow', 'time_tradingday', 'year', 'month', 'weekofyear', 'dayofmonth', 'dayofweek',
  'hour', 'minute', 'second', 'last_bar_time', 'last_bar_index']);

function strategyIssue(name: string): Omit<PineIssue, 'line'> | null {
  if (STRATEGY_OK.has(name)) return null;
  const c = `\`${name}\``;
  if (name === 'strategy.order') return { construct: c, why: 'it adds to the position instead of holding one position at a time', fix: 'Use strategy.entry, which holds at most one position.' };
  if (name === 'strategy.close_all') return { construct: c, why: 'the subset closes positions by entry id only', fix: 'Use strategy.close("id") for each entry id.' };
  if (name.startsWith('strategy.cancel')) return { construct: c, why: 'it cancels pending orders, and spec orders are market orders at the next open that are never pending', fix: 'Remove it.' };
  if (name.startsWith('strategy.risk.')) return { construct: c, why: 'strategy-level risk rules (drawdown limits, direction filters, intraday loss) are outside the spec', fix: 'Remove it; Gauntlet\'s gates judge drawdown separately.' };
  if (name.startsWith('strategy.oca.')) return { construct: c, why: 'one-cancels-all groups tie together pending stop/limit orders, and spec entries are market orders at the next bar\'s open: a fill at a price level inside the bar has no spec equivalent (docs/semantics.md)', fix: 'Enter on the close crossing the level instead (if close > level → strategy.entry(…) without stop=), which the spec fills at the next open.' };
  return { construct: c, why: OWN_RESULTS, fix: 'Write conditions on market data; the engine tracks the position itself.' };
}

function nameIssue(name: string, next: Tok | undefined): Omit<PineIssue, 'line'> | null {
  const c = `\`${name}\``;
  const head = name.split('.')[0]!;
  if (head === 'request' || (name === 'security' && next?.text === '(')) {
    return { construct: c, why: 'it reads another symbol or timeframe, and spec v1 reads one series at one interval (a higher-timeframe filter has no spec operand; with lookahead on it would also read bars that have not closed)', fix: 'Write the filter on this chart\'s bars (a daily SMA(50) on hourly bars is roughly an SMA of 50 days\' worth of hours), or run the whole strategy on the higher interval.' };
  }
  if (head === 'barmerge') return { construct: c, why: 'it sets how request.security reads other timeframes (lookahead_on reads the future)', fix: 'Remove the request.security call.' };
  if (head === 'array' || head === 'matrix' || head === 'map') return { construct: c, why: 'collections keep state across bars, and spec rules read only prices, indicators and their lags', fix: 'Use a built-in indicator instead (ta.sma for an average of recent closes, ta.highest for a running high).' };
  if (head === 'strategy') return strategyIssue(name);
  if (head === 'barstate') return { construct: c, why: 'it depends on where the bar sits in the chart or on realtime updates, and spec rules treat every closed bar alike', fix: 'Remove it.' };
  if (head === 'timeframe' || head === 'session') return { construct: c, why: 'the spec does not know the chart\'s timeframe or trading session', fix: 'Remove it; Gauntlet chooses the interval.' };
  if (!name.includes('.') && CLOCK.has(name)) return { construct: c, why: 'calendar and clock values have no spec operand', fix: 'Remove time filters; the spec trades on price data alone.' };
  return null;
}

const KEYWORD_ISSUES: Record<string, { why: string; fix: string }> = {
  for: { why: 'loops compute values the spec cannot express', fix: 'Use a built-in indicator instead of the loop (ta.sma, ta.highest, …).' },
  while: { why: 'loops compute values the spec cannot express', fix: 'Use a built-in indicator instead of the loop (ta.sma, ta.highest, …).' },
  var: { why: STATE, fix: RESTATE },
  varip: { why: STATE, fix: RESTATE },
  switch: { why: 'switch selects between values, and spec operands are fixed', fix: 'Write one if block per case.' },
};
const LINE_START_KEYWORDS: Record<string, { why: string; fix: string }> = {
  import: { why: 'libraries are outside the subset', fix: 'Inline what the library computes with built-in indicators.' },
  export: { why: 'libraries are outside the subset', fix: 'Translate the strategy script, not the library.' },
  method: { why: 'user-defined methods are outside the subset', fix: 'Inline the method\'s expression where it is used.' },
  type: { why: 'user-defined types are outside the subset', fix: 'Use plain variables.' },
};
const REASSIGN = new Set([':=', '+=', '-=', '*=', '/=', '%=']);
/** The message lists at most this many places; a script with more is not worth listing line by line. */
export const MAX_LISTED = 20;

/** Said where a `:=` sits beside strategy.entry: the one captured value the subset reads. */
const CAPTURE_FIX = 'To stop or take profit at k × ATR from the entry, capture ATR beside the entry (`atrNow = ta.atr(14)` and `var float atrAtEntry = na` at the top, `atrAtEntry := atrNow` in the entry\'s if block) and write stop=strategy.position_avg_price - k * atrAtEntry (docs/semantics.md).';

/** `allowed`: lines whose `var` / `:=` may capture ATR at an entry (atr-capture.ts); translate.ts checks them in full. */
export function scanHardRefusals(lines: readonly LogicalLine[], allowed: ReadonlySet<number> = new Set()): PineIssue[] {
  const issues: PineIssue[] = [];
  const seen = new Set<string>();
  const add = (line: number, i: Omit<PineIssue, 'line'>): void => {
    const key = `${line}\0${i.construct}`;
    if (!seen.has(key)) { seen.add(key); issues.push({ line, ...i }); }
  };
  for (const [index, ll] of lines.entries()) {
    if (issues.length >= MAX_LISTED) break;
    const t = ll.tokens;
    const capture = allowed.has(ll.line);
    for (let k = 0; k < t.length; k++) {
      const tok = t[k]!;
      if (tok.kind === 'op') {
        if (REASSIGN.has(tok.text) && !(capture && tok.text === ':=')) {
          add(tok.line, { construct: `\`${tok.text}\` reassignment`, why: 'it changes a variable after its declaration, which keeps state across bars or branches, and spec rules read only prices, indicators and their lags', fix: inEntryBlock(lines, index) ? CAPTURE_FIX : RESTATE });
        }
        else if (tok.text === '=>') add(tok.line, { construct: 'a user-defined function (`=>`)', why: 'functions are outside the subset', fix: 'Inline the function\'s expression where it is used.' });
        else if (tok.text === '[' && t[k + 1]?.text === '-' && k > 0 && (t[k - 1]!.kind === 'ident' || t[k - 1]!.text === ')' || t[k - 1]!.text === ']')) {
          add(tok.line, { construct: `a negative history offset \`[-${t[k + 2]?.text ?? ''}]\``, why: 'x[-k] reads a bar that has not happened yet', fix: 'Use offsets k ≥ 1: x[1] is the previous bar.' });
        }
        continue;
      }
      if (tok.kind !== 'ident' || (k > 0 && t[k - 1]!.text === '.')) continue;
      // A named argument's key (`f(x, title=…)`) is a label, not a read; only pyramiding matters.
      const isKey = t[k + 1]?.text === '=' && k > 0 && (t[k - 1]!.text === '(' || t[k - 1]!.text === ',');
      if (isKey) {
        if (tok.text === 'pyramiding') {
          const v = t[k + 2];
          const count = v?.kind === 'num' ? Number(v.text) : NaN;
          if (!(count <= 1)) add(tok.line, { construct: `\`pyramiding=${v?.text ?? ''}\``, why: 'it lets the strategy add to an open position, and the spec holds one position at a time', fix: 'Remove pyramiding (or set it to 1).' });
        } else if (tok.text === 'lookahead') {
          add(tok.line, { construct: '`lookahead`', why: 'it lets a value read bars that have not closed yet', fix: 'Remove the call that takes it.' });
        }
        continue;
      }
      if (capture && tok.text === 'var' && k === 0) continue;
      if (KEYWORD_ISSUES[tok.text] !== undefined) { add(tok.line, { construct: `\`${tok.text}\``, ...KEYWORD_ISSUES[tok.text]! }); continue; }
      if (k === 0 && LINE_START_KEYWORDS[tok.text] !== undefined && t[1]?.kind === 'ident') { add(tok.line, { construct: `\`${tok.text}\``, ...LINE_START_KEYWORDS[tok.text]! }); continue; }
      let name = tok.text;
      let j = k;
      while (t[j + 1]?.text === '.' && t[j + 2]?.kind === 'ident') { name += `.${t[j + 2]!.text}`; j += 2; }
      const issue = nameIssue(name, t[j + 1]);
      if (issue !== null) add(tok.line, issue);
    }
  }
  return issues.slice(0, MAX_LISTED);
}
