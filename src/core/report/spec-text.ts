import type { Condition, Risk, RuleName, Spec } from '../spec/schema.ts';

/** Specs in words, shared by `gauntlet spec`, the console's spec browser and the dossier. */

export const RULES: readonly RuleName[] = ['long_entry', 'long_exit', 'short_entry', 'short_exit'];
export const RULE_LABEL: Record<RuleName, string> = { long_entry: 'long entry', long_exit: 'long exit', short_entry: 'short entry', short_exit: 'short exit' };
const RULE_ACTION: Record<RuleName, string> = { long_entry: 'long', long_exit: 'exit long', short_entry: 'short', short_exit: 'exit short' };
const OP_WORDS: Record<string, string> = { crosses_above: 'crosses above', crosses_below: 'crosses below' };

/** A condition in words: `rsi < $lo and close < bb.lower`; groups inside groups get parentheses. */
export function conditionText(c: Condition): string {
  if (Array.isArray(c)) {
    const [l, op, r] = c;
    return `${String(l)} ${OP_WORDS[op] ?? op} ${String(r)}`;
  }
  const group = (parts: Condition[], word: string): string =>
    parts.map((p) => (Array.isArray(p) || 'not' in p || (('all' in p ? p.all : p.any).length === 1) ? conditionText(p) : `(${conditionText(p)})`)).join(` ${word} `);
  if ('all' in c) return group(c.all, 'and');
  if ('any' in c) return group(c.any, 'or');
  return `not (${conditionText(c.not)})`;
}

/** `rsi < $lo and close < bb.lower → long`, or null for a rule that is not set. */
export function ruleText(spec: Spec, rule: RuleName): string | null {
  const c = spec.rules[rule];
  return c === null ? null : `${conditionText(c)} → ${RULE_ACTION[rule]}`;
}

/** `len=2 lo=50`: a version's param values in declaration order. */
export function paramsText(params: Readonly<Record<string, number>>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? '(no params)' : parts.join(' ');
}

/** Param values of a spec, by name. */
export function paramValues(spec: Spec): Record<string, number> {
  return Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.value]));
}

/** `rsi(period $len)`: an indicator definition in one line. */
export function indicatorText(def: Spec['indicators'][string]): string {
  const args = Object.entries(def).filter(([k]) => k !== 'fn').map(([k, v]) => (k === 'source' ? String(v) : `${k} ${String(v)}`));
  return `${def.fn}(${args.join(', ')})`;
}

/** A stop or target level in words: "5%" or "2 × ATR(14)"; null when the spec has none. */
export function riskLevelText(risk: Risk, which: 'stop' | 'target'): string | null {
  const pct = which === 'stop' ? risk.stop_loss_pct : risk.take_profit_pct;
  const atr = which === 'stop' ? risk.stop_atr : risk.target_atr;
  if (atr !== undefined) return `${atr.mult} × ATR(${atr.period})`;
  return pct === null ? null : `${pct}%`;
}
