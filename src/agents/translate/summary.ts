import type { Condition, Spec } from '../../core/spec/schema.ts';

const OP_WORDS: Record<string, string> = { crosses_above: 'crosses above', crosses_below: 'crosses below' };

/** A condition in words; nesting is bounded by the translator's depth limit. */
export function conditionText(c: Condition): string {
  if (Array.isArray(c)) {
    const [l, op, r] = c;
    return `${String(l)} ${OP_WORDS[op] ?? op} ${String(r)}`;
  }
  const group = (parts: Condition[], word: string): string =>
    parts.map((p) => (Array.isArray(p) || 'not' in p ? conditionText(p) : `(${conditionText(p)})`)).join(` ${word} `);
  if ('all' in c) return group(c.all, 'and');
  if ('any' in c) return group(c.any, 'or');
  return `not (${conditionText(c.not)})`;
}

const MAX_SUMMARY = 400;

/**
 * The one-line intent summary, from a template:
 * `<style>, <holding> holding: long when …; exit long when …; short when …; exit short when …; stop N%; target N%; fees N bps[; slippage N bps]`.
 */
export function summarize(spec: Spec): string {
  const parts: string[] = [];
  const rule = (label: string, c: Condition | null): void => { if (c !== null) parts.push(`${label} when ${conditionText(c)}`); };
  rule('long', spec.rules.long_entry);
  rule('exit long', spec.rules.long_exit);
  rule('short', spec.rules.short_entry);
  rule('exit short', spec.rules.short_exit);
  if (spec.risk.stop_loss_pct !== null) parts.push(`stop ${spec.risk.stop_loss_pct}%`);
  if (spec.risk.take_profit_pct !== null) parts.push(`target ${spec.risk.take_profit_pct}%`);
  parts.push(`fees ${spec.execution.fees_bps} bps`);
  if (spec.execution.slippage_bps !== 0) parts.push(`slippage ${spec.execution.slippage_bps} bps`);
  const line = `${spec.meta.style.replace('_', ' ')}, ${spec.meta.holding_period} holding: ${parts.join('; ')}`;
  return line.length <= MAX_SUMMARY ? line : `${line.slice(0, MAX_SUMMARY - 1)}…`;
}
