import type { Condition, Spec } from '../../core/spec/schema.ts';
// One wording of conditions everywhere: the summary, `gauntlet spec`, the console and the dossier.
import { conditionText, riskLevelText } from '../../core/report/spec-text.ts';

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
  for (const which of ['stop', 'target'] as const) {
    const level = riskLevelText(spec.risk, which);
    if (level !== null) parts.push(`${which} ${level}`);
  }
  parts.push(`fees ${spec.execution.fees_bps} bps`);
  if (spec.execution.slippage_bps !== 0) parts.push(`slippage ${spec.execution.slippage_bps} bps`);
  const line = `${spec.meta.style.replace('_', ' ')}, ${spec.meta.holding_period} holding: ${parts.join('; ')}`;
  return line.length <= MAX_SUMMARY ? line : `${line.slice(0, MAX_SUMMARY - 1)}…`;
}
